namespace GridGov.Realtime.Silo.Auth;

/// <summary>JOSE header parameters and JWT claim names used (RFC 7515 §4, RFC 7519 §4).</summary>
internal static class JwtNames
{
    public const string Algorithm = "alg";
    public const string Type = "typ";
    public const string Critical = "crit";
    public const string HS256 = "HS256";
    public const string JwtType = "JWT";

    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string Audience = "aud";
    public const string ExpiresAt = "exp";
    public const string NotBefore = "nbf";
    public const string IssuedAt = "iat";
    public const string JwtId = "jti";
    public const string Role = "role";
    public const string RegionScope = "region_scope";
}
