namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// One position fix from a terminal, as published on <c>gridgov/v1/terminals/{workerId}/position</c>
/// (<c>{lat, lon, acc, spd, hdg, bat, ts}</c>). A struct so that a batch is one flat array.
/// </summary>
/// <param name="Lat">WGS 84 latitude, degrees.</param>
/// <param name="Lon">WGS 84 longitude, degrees.</param>
/// <param name="Acc">Horizontal accuracy radius in metres, when the terminal knows it.</param>
/// <param name="Spd">Ground speed in m/s.</param>
/// <param name="Hdg">Heading in degrees clockwise from north, 0–360.</param>
/// <param name="Bat">Battery level in percent, 0–100.</param>
/// <param name="Ts">When the fix was taken, Unix milliseconds (UTC).</param>
public readonly record struct PositionFix(double Lat, double Lon, double? Acc, double? Spd, double? Hdg, int? Bat, long Ts)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}

/// <summary>An SOS from a terminal (<c>gridgov/v1/terminals/{workerId}/sos</c>): <c>{lat, lon, ts, note?}</c>.</summary>
public sealed record SosSignal(double Lat, double Lon, long Ts, string? Note)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}

/// <summary>The uplink topics the tracking intake handles.</summary>
public enum TerminalTopic
{
    Position,
    Sos,
}
