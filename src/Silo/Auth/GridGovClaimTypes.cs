using System.Security.Claims;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Claim types on an authenticated principal. Name and role use the standard ASP.NET Core types
/// (so <c>User.Identity.Name</c>, <c>IsInRole</c> and SignalR's user id work); the region scope is ours.
/// </summary>
public static class GridGovClaimTypes
{
    public const string UserName = ClaimTypes.Name;
    public const string UserId = ClaimTypes.NameIdentifier;
    public const string Role = ClaimTypes.Role;
    public const string RegionScope = "region_scope";
}
