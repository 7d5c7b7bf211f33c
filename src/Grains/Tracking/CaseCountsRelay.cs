using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;

namespace GridGov.Realtime.Grains.Tracking;

/// <summary>
/// Tells the roll-ups of a case's region and of every region above it that their case counts changed
/// (one-way, so a case transition never waits for a roll-up). A code the region tree does not know is
/// told as a region of its own, so its counters still reach a command centre watching exactly it.
/// </summary>
public sealed class CaseCountsRelay(IGrainFactory grains, IRegionDirectory regions) : ICaseCountsListener
{
    public void CaseCountsChanged(string regionCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(regionCode);
        var scopes = regions.ScopesOf(regionCode);
        if (scopes.Count == 0)
        {
            grains.GetGrain<IRegionGrain>(regionCode).CasesChanged();
            return;
        }
        foreach (var code in scopes)
        {
            if (regions.Find(code)?.Level == RegionLevel.Grid) grains.GetGrain<IGridGrain>(code).CasesChanged();
            else grains.GetGrain<IRegionGrain>(code).CasesChanged();
        }
    }
}
