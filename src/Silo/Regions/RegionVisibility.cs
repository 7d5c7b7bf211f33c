using System.Security.Claims;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Regions;

/// <summary>
/// The scope rule of the directory endpoints. A user sees a region when their region scope covers it:
/// the scope's code is a prefix of the region's code (<see cref="RegionScope.Covers"/>), or, for a
/// city-level scope such as <c>310100</c> whose districts do not share the full prefix (<c>310104</c>),
/// the code scheme says the city encloses it (<see cref="GridCodeScheme.Covers"/>).
/// </summary>
internal static class RegionVisibility
{
    public static bool CanSee(this ClaimsPrincipal user, GridCodeScheme scheme, string? code)
    {
        var scope = user.GetRegionScope();
        return scope.Covers(code) || (scope.Code is { Length: > 0 } s && scheme.Covers(s, code));
    }

    /// <summary>True when <paramref name="code"/> strictly encloses the user's scope (the user's own district's city, say).</summary>
    public static bool IsAboveScope(this ClaimsPrincipal user, GridCodeScheme scheme, string code) =>
        user.GetRegionScope().Code is { Length: > 0 } s && scheme.IsAncestorOf(code, s);

    public static IResult Forbidden(string code) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your region scope",
            detail: $"Region '{code}' is outside your region scope.");

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);
}
