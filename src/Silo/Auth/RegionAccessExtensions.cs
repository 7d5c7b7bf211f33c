using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Helpers for region-scope checks on endpoints and in handlers.</summary>
public static class RegionAccessExtensions
{
    /// <summary>
    /// Requires an authenticated user whose scope covers the route value <paramref name="routeValueName"/>
    /// (403 otherwise). Equivalent to <c>RequireAuthorization(Policies.RegionAccess)</c> for "regionCode".
    /// </summary>
    public static TBuilder RequireRegionAccess<TBuilder>(this TBuilder builder, string routeValueName = Policies.RegionCodeRouteValue)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(routeValueName);
        var policy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new RegionAccessRequirement(routeValueName))
            .Build();
        return builder.RequireAuthorization(policy);
    }

    /// <summary>Imperative check: does <paramref name="user"/>'s scope cover <paramref name="regionCode"/>?</summary>
    public static async Task<bool> AuthorizeRegionAsync(this IAuthorizationService authorization, ClaimsPrincipal user, string regionCode) =>
        (await authorization.AuthorizeAsync(user, regionCode, new RegionAccessRequirement())).Succeeded;
}
