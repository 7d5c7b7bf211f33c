namespace GridGov.Realtime.Grains.Intake;

/// <summary>
/// A grid worker's field report as published on <c>gridgov/v1/terminals/{workerId}/report</c>:
/// <c>{category, kind?, description, lat, lon, ts, urgency?, photos?: [refs], requestId?}</c>. Photos are references
/// (URLs or storage keys) of pictures uploaded elsewhere, never the bytes.
/// </summary>
public sealed record FieldReport(
    string Category,
    string? Kind,
    string Description,
    double Lat,
    double Lon,
    long Ts,
    string? Urgency,
    IReadOnlyList<string> Photos,
    string? RequestId)
{
    /// <summary>The client's request id, or one derived from the report's own time: a QoS 1 redelivery carries the same.</summary>
    public string EffectiveRequestId => RequestId ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ts{Ts}");
}
