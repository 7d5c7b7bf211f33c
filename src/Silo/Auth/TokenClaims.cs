using System.Security.Claims;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>What a valid token says about its bearer.</summary>
internal sealed record TokenClaims(string UserName, string Role, RegionScope RegionScope, DateTimeOffset ExpiresAt)
{
    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(GridGovClaimTypes.UserId, UserName),
                new Claim(GridGovClaimTypes.UserName, UserName),
                new Claim(GridGovClaimTypes.Role, Role),
                new Claim(GridGovClaimTypes.RegionScope, RegionScope.Code ?? ""),
            ],
            authenticationType,
            GridGovClaimTypes.UserName,
            GridGovClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }
}

/// <summary>Either claims or the reason the token was refused.</summary>
internal sealed record TokenValidationResult(TokenClaims? Claims, string? Error)
{
    public static TokenValidationResult Valid(TokenClaims claims) => new(claims, null);

    public static TokenValidationResult Invalid(string error) => new(null, error);
}
