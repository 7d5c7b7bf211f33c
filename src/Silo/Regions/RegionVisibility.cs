using System.Security.Claims;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Regions;

/// <summary>
/// Scope helpers of the directory endpoints. Seeing a region is the shared rule
/// (<see cref="ClaimsPrincipalExtensions.CanSeeRegion"/>); reading a region above one's scope is theirs.
/// </summary>
internal static class RegionVisibility
{
    /// <summary>True when <paramref name="code"/> strictly encloses the user's scope (the user's own district's city, say).</summary>
    public static bool IsAboveScope(this ClaimsPrincipal user, GridCodeScheme scheme, string code) =>
        user.GetRegionScope().Code is { Length: > 0 } s && scheme.IsAncestorOf(code, s);

    public static IResult Forbidden(string code) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your region scope",
            detail: $"Region '{code}' is outside your region scope.");

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);
}
