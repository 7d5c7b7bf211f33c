using System.Security.Claims;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Reads the GridGov claims off an authenticated user.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The user's region scope; <see cref="RegionScope.None"/> (covers nothing) when absent or malformed.</summary>
    public static RegionScope GetRegionScope(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && RegionScope.TryParse(user.FindFirst(GridGovClaimTypes.RegionScope)?.Value, out var scope)
            ? scope
            : RegionScope.None;

    /// <summary>The user's role (one of <see cref="Roles"/>), or null when not authenticated.</summary>
    public static string? GetRole(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(GridGovClaimTypes.Role)?.Value : null;

    /// <summary>The user's name, or null when not authenticated.</summary>
    public static string? GetUserName(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(GridGovClaimTypes.UserName)?.Value : null;

    /// <summary>True when the user's scope covers <paramref name="regionCode"/>.</summary>
    public static bool CanSeeRegion(this ClaimsPrincipal user, string? regionCode) =>
        user.GetRegionScope().Covers(regionCode);

    /// <summary>True when the user has <paramref name="role"/> or is an admin (admin passes every role check).</summary>
    public static bool HasRoleOrAdmin(this ClaimsPrincipal user, string role) =>
        user.GetRole() is { } actual && (actual == role || actual == Roles.Admin);
}
