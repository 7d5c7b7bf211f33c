using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Users in the SQLite table <c>users</c> (shared database file with the rest of storage).
/// A connection per call; Microsoft.Data.Sqlite pools them.
/// </summary>
internal sealed class SqliteUserDirectory(string connectionString) : IUserDirectory
{
    /// <summary>The users table; the host also registers it as migration auth v1 so the schema is versioned.</summary>
    public const string Schema = """
            CREATE TABLE IF NOT EXISTS users(
                username TEXT PRIMARY KEY COLLATE NOCASE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                region_scope TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """;

    private const string Columns = "username, password_hash, role, region_scope, disabled, created_at, updated_at";

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UserAccount?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE username = $username";
        command.Parameters.AddWithValue("$username", userName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users ORDER BY username";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken)) users.Add(Read(reader));
        return users;
    }

    public async Task<bool> TryCreateAsync(UserAccount account, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO users({Columns})
            VALUES($username, $hash, $role, $scope, $disabled, $created, $updated)
            ON CONFLICT(username) DO NOTHING
            """;
        Bind(command, account);
        command.Parameters.AddWithValue("$created", Format(account.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryUpdateAsync(UserAccount account, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE users SET password_hash = $hash, role = $role, region_scope = $scope,
                             disabled = $disabled, updated_at = $updated
            WHERE username = $username
            """;
        Bind(command, account);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static void Bind(SqliteCommand command, UserAccount account)
    {
        command.Parameters.AddWithValue("$username", account.UserName);
        command.Parameters.AddWithValue("$hash", account.PasswordHash);
        command.Parameters.AddWithValue("$role", account.Role);
        command.Parameters.AddWithValue("$scope", account.RegionScope.Code ?? throw new ArgumentException("A stored user needs a region scope.", nameof(account)));
        command.Parameters.AddWithValue("$disabled", account.Disabled ? 1 : 0);
        command.Parameters.AddWithValue("$updated", Format(account.UpdatedAt));
    }

    private static UserAccount Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        // A row edited by hand into an invalid scope must not widen access: it covers nothing.
        RegionScope.TryParse(reader.GetString(3), out var scope) ? scope : RegionScope.None,
        reader.GetInt64(4) != 0,
        Parse(reader.GetString(5)),
        Parse(reader.GetString(6)));

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
