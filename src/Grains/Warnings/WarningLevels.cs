using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// The effective warning level of any region: the highest active warning among the region and its
/// ancestors. It asks each region on the chain (at most five: grid → city) for its highest warning,
/// in parallel, instead of keeping an index: the grains stay the only truth, nothing can drift after a
/// restart, and a query costs a handful of in-memory grain calls. Ties go to the nearest region.
/// </summary>
public sealed class WarningLevels(IGrainFactory grains, IRegionDirectory regions)
{
    /// <summary>Null when the region is unknown.</summary>
    public async Task<EffectiveWarning?> GetEffectiveAsync(string code)
    {
        if (regions.Find(code) is null) return null;
        var chain = regions.ScopesOf(code); // the region first, then up to the city
        var highest = await Task.WhenAll(chain.Select(c => grains.GetGrain<IWarningGrain>(c).Highest()));
        WarningView? best = null;
        foreach (var w in highest)
        {
            if (w is not null && (best is null || w.Level > best.Level)) best = w;
        }
        return new EffectiveWarning(code, best?.Level, best?.RegionCode, best);
    }
}
