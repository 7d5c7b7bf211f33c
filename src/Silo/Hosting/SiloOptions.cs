using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Hosting;

/// <summary>The host's own settings, section "Silo" (appsettings, GRIDGOV_Silo__X environment variables, --Silo:X arguments).</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Silo";
    public const int DefaultHttpPort = 5080;
    public const string DefaultDataDirectory = "data";

    /// <summary>Where the SQLite file, the signing key and the initial admin password live.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>REST API, health, OpenAPI, SignalR and MQTT-over-WebSocket port.</summary>
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>Address Kestrel binds the HTTP port to; "*" for every interface.</summary>
    public string HttpAddress { get; set; } = "*";

    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var errors = new List<string>();
        if (options.HttpPort is < 1 or > 65535) errors.Add($"Silo:HttpPort must be between 1 and 65535 (got {options.HttpPort}).");
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) errors.Add("Silo:DataDirectory is required.");
        else
        {
            try
            {
                Directory.CreateDirectory(options.DataDirectoryFullPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"Silo:DataDirectory '{options.DataDirectory}' cannot be created: {ex.Message}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
