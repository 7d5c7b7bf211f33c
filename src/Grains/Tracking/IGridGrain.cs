using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>A unit grid's live roll-up, keyed by grid code: who is inside, and counters sent up the region chain.</summary>
public interface IGridGrain : IGrainWithStringKey
{
    /// <summary>A worker's presence in this grid (idempotent: the latest message per worker wins).</summary>
    [OneWay] Task UpdateWorker(WorkerPresence presence);

    /// <summary>An alert located in this grid was raised or cleared (idempotent per alert id).</summary>
    [OneWay] Task UpdateAlert(AlertMark alert);

    /// <summary>A case located here opened, closed, became overdue or was escalated (counts come from the case read model).</summary>
    [OneWay] Task CasesChanged();

    Task<GridSnapshot> Get();

    Task<RegionCountersSnapshot> GetCounters();
}

/// <summary>A community, street, district or city, keyed by region code: counters summed from the level below.</summary>
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>A change of a child's counters; deltas add up in any order.</summary>
    [OneWay] Task ApplyDelta(CountersDelta delta);

    /// <summary>An alert of a worker outside every grid, attributed to the worker's own region.</summary>
    [OneWay] Task UpdateAlert(AlertMark alert);

    /// <summary>A case in this region's subtree opened, closed, became overdue or was escalated.</summary>
    [OneWay] Task CasesChanged();

    Task<RegionCountersSnapshot> GetCounters();
}

/// <summary>
/// A worker in a grid. <see cref="Present"/> false removes it. Online: reporting (not offline);
/// OnDuty counts only while online.
/// </summary>
public sealed record WorkerPresence(string WorkerId, bool Present, bool Online, bool OnDuty);

public sealed record AlertMark(string AlertId, bool Active);

public sealed record CountersDelta(int Inside, int Online, int OnDuty, int Alerts)
{
    public bool IsZero => Inside == 0 && Online == 0 && OnDuty == 0 && Alerts == 0;
}

/// <summary>
/// Live counters of a grid or region. WorkersInside: workers whose last known position is in the area
/// (an offline worker stays until its grain is collected); Online: those still reporting; OnDuty: online and on duty;
/// ActiveAlerts: worker alerts located in the area.
/// </summary>
public sealed record RegionCountersSnapshot(string RegionCode, int WorkersInside, int Online, int OnDuty, int ActiveAlerts);

public sealed record GridWorker(string WorkerId, bool Online, bool OnDuty);

public sealed record GridSnapshot(string GridCode, IReadOnlyList<GridWorker> Workers, IReadOnlyList<string> ActiveAlertIds, RegionCountersSnapshot Counters);
