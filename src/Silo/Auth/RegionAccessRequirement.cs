using Microsoft.AspNetCore.Authorization;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Requires that the user's region scope covers a region code. The code comes from the resource:
/// a <see cref="string"/> (imperative checks via <c>IAuthorizationService</c>) or, for endpoint
/// policies, the route value <see cref="RouteValueName"/> of the request.
/// </summary>
public sealed class RegionAccessRequirement(string routeValueName = Policies.RegionCodeRouteValue) : IAuthorizationRequirement
{
    public string RouteValueName { get; } = routeValueName;
}

internal sealed class RegionAccessHandler : AuthorizationHandler<RegionAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RegionAccessRequirement requirement)
    {
        var code = context.Resource switch
        {
            string s => s,
            HttpContext http => http.GetRouteValue(requirement.RouteValueName) as string,
            _ => null,
        };
        if (context.User.CanSeeRegion(code)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
