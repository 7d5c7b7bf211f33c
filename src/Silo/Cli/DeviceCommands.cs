using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.Silo.Hosting;

namespace GridGov.Realtime.Silo.Cli;

/// <summary>
/// <c>devices add &lt;id&gt; &lt;terminal|sensor&gt; &lt;regionCode&gt;</c> (prints the generated secret once),
/// <c>devices import &lt;file.csv&gt;</c> (prints <c>device_id,secret</c> CSV on stdout), <c>devices revoke &lt;id&gt;</c>,
/// followed by any host settings. Exit 0 done, 1 rejected (errors on stderr), 2 usage. A running server sees a
/// CLI revoke within <see cref="DeviceCredentialCache.MaxAge"/> but keeps live connections: revoke through the API then.
/// </summary>
internal static class DeviceCommands
{
    public const string UsageText = "usage: devices add <id> <terminal|sensor> <regionCode> | devices import <file.csv> | devices revoke <id> [--Silo:DataDirectory=<dir>]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Positional arguments first, then host settings (--Key=value); a missing argument never swallows a setting.
        var positional = args.TakeWhile(static a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var settings = args[positional.Length..];
        Func<DeviceProvisioning, Task<int>>? run = positional switch
        {
            ["devices", "add", var id, var kind, var region] => p => AddAsync(p, id, kind, region, output, error),
            ["devices", "import", var file] => p => ImportAsync(p, file, output, error),
            ["devices", "revoke", var id] => p => RevokeAsync(p, id, output, error),
            _ => null,
        };
        if (run is null || settings.Any(static s => !s.StartsWith("--", StringComparison.Ordinal)))
        {
            await error.WriteLineAsync(UsageText);
            return CliCommands.Usage;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        var silo = builder.AddSiloOptions();
        builder.AddActors(silo);
        builder.AddDirectories();
        builder.AddDevices();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<SqliteDatabase>().InitializeAsync();
        // Region codes are checked against the saved tree and missing ones taken from the saved workers/sensors.
        await app.Services.GetRequiredService<DirectoryImportService>().LoadAsync();
        return await run(app.Services.GetRequiredService<DeviceProvisioning>());
    }

    private static async Task<int> AddAsync(DeviceProvisioning provisioning, string id, string kind, string region, TextWriter output, TextWriter error)
    {
        var result = await provisioning.CreateAsync(new DeviceRequest(id, kind, region, null));
        if (result.Created is not { } created)
        {
            foreach (var (field, messages) in result.Errors) await error.WriteLineAsync($"error: {field}: {string.Join(" ", messages)}");
            return CliCommands.Failure;
        }
        await output.WriteLineAsync(created.Secret);
        await error.WriteLineAsync($"Added {kind} '{id}' in region {created.Device.RegionCode}. The secret above is shown only once.");
        return CliCommands.Success;
    }

    private static async Task<int> ImportAsync(DeviceProvisioning provisioning, string file, TextWriter output, TextWriter error)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"error: file not found: {path}");
            return CliCommands.Failure;
        }
        var result = await provisioning.ImportAsync(await File.ReadAllBytesAsync(path));
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"Import rejected: {result.Errors.Count} error(s); nothing was changed.");
            foreach (var e in result.Errors) await error.WriteLineAsync("  " + e);
            return CliCommands.Failure;
        }
        await output.WriteAsync(DeviceProvisioning.ToCsv(result.Created));
        await error.WriteLineAsync($"Imported {result.Created.Count} devices. The secrets above are shown only once.");
        return CliCommands.Success;
    }

    private static async Task<int> RevokeAsync(DeviceProvisioning provisioning, string id, TextWriter output, TextWriter error)
    {
        if (await provisioning.RevokeAsync(id))
        {
            await output.WriteLineAsync($"Revoked device '{id}'.");
            return CliCommands.Success;
        }
        await error.WriteLineAsync(await provisioning.FindAsync(id) is { Revoked: true }
            ? $"error: device '{id}' is already revoked."
            : $"error: there is no device '{id}'.");
        return CliCommands.Failure;
    }
}
