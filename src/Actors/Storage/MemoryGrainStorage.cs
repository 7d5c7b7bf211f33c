using System.Collections.Concurrent;

namespace GridGov.Realtime.Actors.Storage;

/// <summary>In-process storage for tests and benchmarks; same ETag rules as the durable providers.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(GrainId, string), StoredState> _rows = new();
    private long _version;

    public int Count => _rows.Count;

    public Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryGetValue((grainId, stateName), out var s) ? s : null);

    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var key = (grainId, stateName);
        var next = new StoredState(payload.ToArray(), Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (expectedETag is null)
        {
            if (!_rows.TryAdd(key, next)) throw ETagConflict.For(grainId, stateName, expectedETag, _rows.GetValueOrDefault(key)?.ETag);
            return Task.FromResult(next.ETag);
        }
        if (!_rows.TryGetValue(key, out var current) || current.ETag != expectedETag || !_rows.TryUpdate(key, next, current))
        {
            throw ETagConflict.For(grainId, stateName, expectedETag, _rows.GetValueOrDefault(key)?.ETag);
        }
        return Task.FromResult(next.ETag);
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var key = (grainId, stateName);
        if (!_rows.TryGetValue(key, out var current))
        {
            return expectedETag is null ? Task.CompletedTask : throw ETagConflict.For(grainId, stateName, expectedETag, null);
        }
        if (current.ETag != expectedETag || !_rows.TryRemove(KeyValuePair.Create(key, current)))
        {
            throw ETagConflict.For(grainId, stateName, expectedETag, current.ETag);
        }
        return Task.CompletedTask;
    }
}
