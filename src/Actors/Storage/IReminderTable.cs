using System.Collections.Concurrent;

namespace GridGov.Realtime.Actors.Storage;

/// <summary>Durable reminder rows. A periodic reminder is stored once; its ticks are derived, not written.</summary>
public interface IReminderTable
{
    Task<IReadOnlyList<ReminderRow>> ReadAllAsync(CancellationToken cancellationToken = default);
    Task UpsertAsync(ReminderRow row, CancellationToken cancellationToken = default);

    /// <summary>Deletes the row; when <paramref name="onlyIfDueAt"/> is given, only if it is still that registration.</summary>
    Task DeleteAsync(GrainId grainId, string name, DateTimeOffset? onlyIfDueAt = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes handled one-shot registrations, each only if it is still that registration (its due time).
    /// Stores that can should do it in one write: the reminder service batches these at high fire rates.
    /// </summary>
    async Task DeleteHandledAsync(IReadOnlyList<ReminderKey> handled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handled);
        foreach (var key in handled) await DeleteAsync(key.GrainId, key.Name, key.DueAt, cancellationToken);
    }
}

public sealed record ReminderRow(GrainId GrainId, string Name, DateTimeOffset DueAt, TimeSpan? Period);

/// <summary>One registration of a reminder: the row as long as its due time has not been changed.</summary>
public readonly record struct ReminderKey(GrainId GrainId, string Name, DateTimeOffset DueAt);

public sealed class MemoryReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId, string), ReminderRow> _rows = new();

    public Task<IReadOnlyList<ReminderRow>> ReadAllAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReminderRow>>([.. _rows.Values]);

    public Task UpsertAsync(ReminderRow row, CancellationToken cancellationToken = default)
    {
        _rows[(row.GrainId, row.Name)] = row;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(GrainId grainId, string name, DateTimeOffset? onlyIfDueAt = null, CancellationToken cancellationToken = default)
    {
        var key = (grainId, name);
        if (onlyIfDueAt is null) _rows.TryRemove(key, out _);
        else if (_rows.TryGetValue(key, out var row) && row.DueAt == onlyIfDueAt) _rows.TryRemove(KeyValuePair.Create(key, row));
        return Task.CompletedTask;
    }
}
