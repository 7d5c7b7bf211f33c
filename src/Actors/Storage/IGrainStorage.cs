namespace GridGov.Realtime.Actors.Storage;

/// <summary>
/// Where grain state lives. ETags are opaque strings; a write or clear whose expected ETag is not the
/// stored one throws <see cref="InconsistentStateException"/> and changes nothing. A completed write is durable.
/// </summary>
public interface IGrainStorage
{
    Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default);

    /// <returns>The new ETag.</returns>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default);

    Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken = default);
}

public sealed record StoredState(byte[] Payload, string ETag);

internal static class ETagConflict
{
    public static InconsistentStateException For(GrainId id, string stateName, string? expected, string? actual) =>
        new($"State '{stateName}' of {id} was changed by another writer (expected ETag '{expected ?? "none"}', stored '{actual ?? "none"}'). Re-read before writing.");
}
