using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>The next 督办 a case is due for: the region, its 1-based level on the chain, when, and why.</summary>
public sealed record CaseEscalationStep(RegionRef Target, int Level, DateTimeOffset DueAt, string Reason);

/// <summary>
/// When and to whom an overdue case escalates (DOMAIN.md §3, 督办). Pure over the case state and the region
/// tree: the case grain asks it after every event and when its escalation reminder fires, appends the
/// <see cref="CaseEscalated"/> it describes when due, and keeps one reminder on the next due time.
/// A case escalates only while its step is overdue and running: closing, voiding, 挂账 or a pending 延期 stop
/// it (time paused is left out of the interval), and a new step or an approved extension starts over at level 0.
/// </summary>
public sealed class CaseEscalationPolicy(IOptions<CaseEscalationOptions> options, CaseRegionChain regions)
{
    private readonly CaseEscalationOptions _options = options.Value;

    public CaseEscalationOptions Options => _options;

    /// <summary>The regions a case in <paramref name="regionCode"/> escalates to, nearest first (e.g. street, district, city).</summary>
    public IReadOnlyList<RegionRef> ChainOf(string regionCode)
    {
        var chain = regions.Of(regionCode);
        return [.. chain.Skip(1).Where(r => r.Level <= _options.FirstTarget && r.Level >= _options.TopTarget)];
    }

    /// <summary>The escalation the case is due for next, or null when it should not escalate (any more).</summary>
    public CaseEscalationStep? Next(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_options.Enabled) return null;
        if (state is not { Overdue: true, OverdueSince: { } since, Step: { } step, IsTerminal: false, IsPaused: false }) return null;
        var chain = ChainOf(state.RegionCode);
        if (state.EscalationLevel >= chain.Count) return null;

        var target = chain[state.EscalationLevel];
        var level = state.EscalationLevel + 1;
        if (state.EscalatedAt is not { } previous)
            return new(target, level, since + _options.FirstAfter + PausedAfter(since, state.Pauses), $"{step} overdue since {since:O}");
        var interval = _options.IntervalFor(state.Urgency);
        return new(target, level, previous + interval + PausedAfter(previous, state.Pauses),
            $"{step} still overdue {interval} after escalation to {state.EscalatedToLevel?.ToWireName()} {state.EscalatedTo}");
    }

    // 挂账 and pending 延期 stop the clock for the escalation interval as they do for the step's own limit.
    private static TimeSpan PausedAfter(DateTimeOffset anchor, IReadOnlyList<ClockPause> pauses)
    {
        var total = TimeSpan.Zero;
        foreach (var p in pauses)
        {
            if (p.To is not { } to || to <= anchor) continue;
            total += to - (p.From > anchor ? p.From : anchor);
        }
        return total;
    }
}
