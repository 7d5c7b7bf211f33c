using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Pushes cases to command centres through the <see cref="ILiveFeed"/>: every change as a <see cref="CaseUpdate"/>
/// to the scopes covering the case's region (its grid, community, street, district, city), and every 督办 also as a
/// <see cref="CaseEscalationUpdate"/> to the scopes covering the region escalated to, so the street, district or
/// city centre that now supervises the case is told, and a neighbouring district is not. The feed never blocks.
/// </summary>
public sealed class LiveCaseNotifier(ILiveFeed feed, CaseRegionChain regions) : ICaseNotifier
{
    public Task CaseChangedAsync(CaseView view, CaseEvent change)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(change);
        feed.CaseChanged(UpdateOf(view, change));
        return Task.CompletedTask;
    }

    public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue) => CaseChangedAsync(view, overdue);

    public Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(escalated);
        feed.CaseChanged(UpdateOf(view, escalated));
        feed.CaseEscalated(new CaseEscalationUpdate(
            view.Id,
            escalated.ToRegionCode,
            escalated.ToRegionLevel,
            escalated.Level,
            escalated.Reason,
            view.RegionCode,
            view.CategoryCode,
            view.CategoryName,
            escalated.OverdueStep,
            escalated.OverdueSince,
            view.Urgency == Urgency.Urgent,
            regions.ScopesOf(escalated.ToRegionCode),
            escalated.At));
        return Task.CompletedTask;
    }

    private CaseUpdate UpdateOf(CaseView view, CaseEvent change)
    {
        var chain = regions.Of(view.RegionCode);
        var grid = chain.Count > 0 && chain[0].Level == RegionLevel.Grid ? view.RegionCode : null;
        return new CaseUpdate(
            view.Id,
            view.Version,
            change.Type,
            view.Status,
            view.CategoryCode,
            view.CategoryName,
            view.RegionCode,
            grid,
            view.Step,
            view.Light,
            view.Deadline,
            view.Overdue,
            view.EscalatedTo,
            view.EscalationLevel,
            view.Urgency == Urgency.Urgent,
            view.Department,
            view.Latitude,
            view.Longitude,
            chain.Count == 0 ? [view.RegionCode] : [.. chain.Select(r => r.Code)],
            change.At);
    }
}
