using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode under the data directory.</summary>
public sealed class SqliteStorageOptions
{
    public const string SectionName = "Storage:Sqlite";
    public const string DefaultFileName = "gridgov.db";
    public const int DefaultMaxBatch = 512;

    /// <summary>Directory that holds the database file (created if missing).</summary>
    public string DataDirectory { get; set; } = "data";

    public string FileName { get; set; } = DefaultFileName;

    /// <summary>
    /// FULL (default) makes every acknowledged write survive power loss; NORMAL survives a killed process
    /// but may lose the last commits on power loss. Group commit keeps FULL affordable.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Most writes committed in one transaction by the group-commit writer.</summary>
    public int MaxBatch { get; set; } = DefaultMaxBatch;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}

public enum SqliteSynchronous
{
    Normal,
    Full,
}

internal sealed class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) errors.Add("Storage:Sqlite:DataDirectory is required.");
        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"Storage:Sqlite:FileName '{options.FileName}' is not a valid file name.");
        }
        if (options.MaxBatch is < 1 or > 100_000) errors.Add("Storage:Sqlite:MaxBatch must be between 1 and 100000.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
