namespace GridGov.Realtime.Silo.Devices;

/// <summary>What a device is: a worker's handheld terminal or a fixed sensor (decides its MQTT ACL).</summary>
public enum DeviceKind
{
    Terminal,
    Sensor,
}

/// <summary>A device's stored credential: never the secret, only its PBKDF2 hash (<see cref="DeviceSecretHasher"/>).</summary>
public sealed record DeviceCredential(
    string DeviceId,
    DeviceKind Kind,
    string SecretHash,
    string RegionCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>Names and parsing shared by the API, the CLI and the SQLite column <c>kind</c>.</summary>
public static class DeviceKinds
{
    public const string Terminal = "terminal";
    public const string Sensor = "sensor";

    public static string Name(DeviceKind kind) => kind == DeviceKind.Terminal ? Terminal : Sensor;

    public static bool TryParse(string? text, out DeviceKind kind)
    {
        kind = DeviceKind.Terminal;
        if (text == Terminal) return true;
        kind = DeviceKind.Sensor;
        return text == Sensor;
    }

    /// <summary>
    /// A device id is 1–64 letters, digits, '-', '_' or '.': it is the MQTT user name and a topic level, so never
    /// '/', '+', '#', whitespace or control characters (the same rule as worker and sensor ids).
    /// </summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    public const string IdRule = "A device id is 1–64 letters, digits, '-', '_' or '.' (it is part of MQTT topics).";

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
}
