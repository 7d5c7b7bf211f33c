using System.Globalization;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Hosting;

namespace GridGov.Realtime.Silo.Cli;

/// <summary>
/// Admin commands that run against the configured data directory without starting the web server:
/// <c>import regions &lt;file.geojson&gt;</c>, <c>import workers &lt;file.csv&gt;</c>,
/// <c>import sensors &lt;file.csv&gt;</c>, the device credential commands of <see cref="DeviceCommands"/>, followed by any host settings (<c>--Silo:DataDirectory=/var/lib/gridgov</c>).
/// Exit codes: 0 imported, 1 rejected or failed (errors listed on stderr), 2 usage error.
/// Stop the server first: the import writes the same database, and a running server would keep its old snapshot.
/// </summary>
public static class CliCommands
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Runs a command when <paramref name="args"/> start with one; null when they do not (start the server).</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (args is not ["import" or "devices", ..]) return null;
        output ??= Console.Out;
        error ??= Console.Error;
        if (args is ["devices", ..]) return await DeviceCommands.RunAsync(args, output, error);
        if (args is not ["import", "regions" or "workers" or "sensors", var file, ..])
        {
            await error.WriteLineAsync("usage: import regions <file.geojson> | import workers <file.csv> | import sensors <file.csv> [--Silo:DataDirectory=<dir>]");
            return Usage;
        }
        var kind = args[1];
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"error: file not found: {path}");
            return Failure;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args[3..] });
        // The output is the progress and the summary; the host's Information logs (migrations) would drown them.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        var silo = builder.AddSiloOptions();
        builder.AddActors(silo);
        builder.AddDirectories();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<SqliteDatabase>().InitializeAsync();
        var imports = app.Services.GetRequiredService<DirectoryImportService>();
        // The current tree (and directories) are what worker files and region replacements are checked against.
        await imports.LoadAsync();

        var bytes = await File.ReadAllBytesAsync(path);
        await output.WriteLineAsync($"Importing {kind} from {path} into {silo.DataDirectoryFullPath}");
        if (kind == "regions")
        {
            var outcome = await imports.ImportRegionsAsync(bytes, new ConsoleProgress(output));
            if (!outcome.Succeeded) return await ReportAsync(error, outcome.Errors.Select(static e => e.ToString()).ToList());
            await output.WriteLineAsync($"Imported {outcome.Summary}.");
            return Success;
        }
        var result = kind == "workers" ? await imports.ImportWorkersAsync(bytes) : await imports.ImportSensorsAsync(bytes);
        if (!result.Succeeded) return await ReportAsync(error, result.Errors.Select(static e => e.ToString()).ToList());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {result.Count} {kind} in {result.Elapsed.TotalSeconds:0.00} s."));
        return Success;
    }

    private static async Task<int> ReportAsync(TextWriter error, IReadOnlyList<string> errors)
    {
        await error.WriteLineAsync($"Import rejected: {errors.Count} error(s); nothing was changed.");
        foreach (var e in errors) await error.WriteLineAsync("  " + e);
        return Failure;
    }

    /// <summary>Prints each stage's start and end and a line every 1,000 items; called from the importer's worker threads, so serialised.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<ImportProgress>
    {
        private const int Step = 1000;
        private readonly Lock _gate = new();
        private string? _stage;
        private int _lastStep = -1;
        private bool _done;

        public void Report(ImportProgress value)
        {
            lock (_gate)
            {
                if (value.Stage != _stage) { _stage = value.Stage; _lastStep = -1; _done = false; }
                var complete = value.Processed >= value.Total;
                var step = value.Processed / Step;
                if (complete ? _done : step <= _lastStep) return;
                _lastStep = step;
                _done = complete;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Stage}: {value.Processed:N0}/{value.Total:N0}"));
            }
        }
    }
}
