using GridGov.Realtime.Actors;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// The list of escalations (one instance, key <see cref="Key"/>): every open one and the most recent
/// acknowledged ones, with the region each belongs to, so a listing can be scoped without activating
/// every escalation. Escalations are rare (SOS, urgent cases), so one grain is enough.
/// </summary>
public interface IEscalationRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>An escalation grain reports its id, region and whether it is open (idempotent; durable once it returns).</summary>
    Task Upsert(EscalationIndexEntry entry);

    Task<IReadOnlyList<EscalationIndexEntry>> List(bool openOnly);
}

public sealed record EscalationIndexEntry(string Id, string RegionCode, bool Open, DateTimeOffset OpenedAt);

public sealed class EscalationRegistryState
{
    public List<EscalationIndexEntry> Entries { get; set; } = [];
}

public sealed class EscalationRegistryGrain(
    [PersistentState("escalation-index")] IPersistentState<EscalationRegistryState> state,
    IOptions<EscalationOptions> options) : Grain, IEscalationRegistryGrain
{
    public async Task Upsert(EscalationIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entries = state.State.Entries;
        var index = entries.FindIndex(e => e.Id == entry.Id);
        if (index >= 0 && entries[index] == entry) return;
        // Kept in the order of the last change, so the closed ones leave in the order they were closed.
        if (index >= 0) entries.RemoveAt(index);
        entries.Add(entry);
        var excess = entries.Count(e => !e.Open) - options.Value.MaxClosedListed;
        for (var i = 0; excess > 0 && i < entries.Count;)
        {
            if (entries[i].Open) { i++; continue; }
            entries.RemoveAt(i);
            excess--;
        }
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<EscalationIndexEntry>> List(bool openOnly) =>
        Task.FromResult<IReadOnlyList<EscalationIndexEntry>>([.. state.State.Entries.Where(e => !openOnly || e.Open).OrderByDescending(e => e.OpenedAt)]);
}
