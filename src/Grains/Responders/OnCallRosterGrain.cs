using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// The on-call roster of one region, keyed by region code: responder user ids in the order they are
/// asked. Who may be on it (existing responders whose scope covers the region) is checked by the host,
/// which owns the user directory; the grain keeps the list durable and well-formed.
/// </summary>
public interface IOnCallRosterGrain : IGrainWithStringKey
{
    Task<OnCallRoster> Get();

    /// <summary>Replaces the roster (empty clears it); durable once it returns.</summary>
    Task<OnCallRoster> Set(SetOnCallRoster command);
}

public sealed record SetOnCallRoster(IReadOnlyList<string> Responders, string By);

public sealed record OnCallRoster(string RegionCode, IReadOnlyList<string> Responders, string? UpdatedBy, DateTimeOffset? UpdatedAt);

public sealed class OnCallRosterState
{
    public List<string> Responders { get; set; } = [];
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class OnCallRosterGrain([PersistentState("on-call")] IPersistentState<OnCallRosterState> state) : Grain, IOnCallRosterGrain
{
    public Task<OnCallRoster> Get() => Task.FromResult(View());

    public async Task<OnCallRoster> Set(SetOnCallRoster command)
    {
        ArgumentNullException.ThrowIfNull(command);
        // The host validates names; a duplicate would only waste a timeout, so it is dropped here too.
        var previous = state.State;
        state.State = new OnCallRosterState
        {
            Responders = [.. command.Responders.Distinct(StringComparer.Ordinal)],
            UpdatedBy = command.By,
            UpdatedAt = TimeProvider.GetUtcNow(),
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous; // not durable: the change did not happen
            throw;
        }
        return View();
    }

    private OnCallRoster View() =>
        new(GetPrimaryKeyString(), [.. state.State.Responders], state.State.UpdatedBy, state.State.UpdatedAt);
}
