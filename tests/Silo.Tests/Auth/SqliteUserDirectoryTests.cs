using GridGov.Realtime.Silo.Auth;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Tests.Auth;

public sealed class SqliteUserDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gridgov-users-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private SqliteUserDirectory NewDirectory() => new($"Data Source={Path.Combine(_dir, "users.db")}");

    private static UserAccount Account(string name, string role = Roles.GridWorker, string scope = "310104001") =>
        new(name, "hash-" + name, role, RegionScope.Parse(scope), false,
            new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Round_trips_users_through_the_file()
    {
        var directory = NewDirectory();
        await directory.EnsureSchemaAsync(Ct);
        await directory.EnsureSchemaAsync(Ct);

        Assert.True(await directory.TryCreateAsync(Account("zed"), Ct));
        Assert.True(await directory.TryCreateAsync(Account("admin", Roles.Admin, ""), Ct));
        Assert.False(await directory.TryCreateAsync(Account("ZED") with { PasswordHash = "other" }, Ct));

        var reopened = NewDirectory();
        Assert.Equal(Account("zed"), await reopened.FindAsync("Zed", Ct));
        Assert.Equal(Account("admin", Roles.Admin, ""), await reopened.FindAsync("admin", Ct));
        Assert.Null(await reopened.FindAsync("nobody", Ct));
        Assert.Equal(["admin", "zed"], (await reopened.ListAsync(Ct)).Select(u => u.UserName));

        var changed = Account("zed") with
        {
            PasswordHash = "new-hash",
            Role = Roles.CommandStaff,
            RegionScope = RegionScope.Parse("3101"),
            Disabled = true,
            UpdatedAt = new DateTimeOffset(2026, 3, 3, 8, 30, 15, TimeSpan.FromHours(8)),
        };
        Assert.True(await reopened.TryUpdateAsync(changed, Ct));
        Assert.False(await reopened.TryUpdateAsync(Account("ghost"), Ct));
        Assert.Equal(changed, await NewDirectory().FindAsync("ZED", Ct));
    }

    [Fact]
    public async Task In_memory_directory_behaves_the_same()
    {
        var directory = new InMemoryUserDirectory();
        Assert.True(await directory.TryCreateAsync(Account("zed"), Ct));
        Assert.False(await directory.TryCreateAsync(Account("ZED"), Ct));
        Assert.Equal(Account("zed"), await directory.FindAsync("Zed", Ct));
        Assert.True(await directory.TryUpdateAsync(Account("zed") with { Disabled = true }, Ct));
        Assert.True((await directory.FindAsync("zed", Ct))!.Disabled);
        Assert.False(await directory.TryUpdateAsync(Account("ghost"), Ct));
    }
}
