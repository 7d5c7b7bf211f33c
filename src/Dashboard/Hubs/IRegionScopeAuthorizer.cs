using System.Security.Claims;

namespace GridGov.Realtime.Dashboard.Hubs;

/// <summary>
/// Decides whether a user may watch a region. The host implements it with its own scope rules (the Silo
/// passes <c>ClaimsPrincipal.CanSeeRegion</c> to <c>AddDashboard</c>), so the Dashboard needs no copy of them.
/// </summary>
public interface IRegionScopeAuthorizer
{
    bool CanSee(ClaimsPrincipal user, string regionCode);
}

internal sealed class DelegateRegionScopeAuthorizer(Func<ClaimsPrincipal, string, bool> canSee) : IRegionScopeAuthorizer
{
    public bool CanSee(ClaimsPrincipal user, string regionCode) => canSee(user, regionCode);
}
