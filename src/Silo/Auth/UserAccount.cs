namespace GridGov.Realtime.Silo.Auth;

/// <summary>A stored user. <see cref="UserName"/> is lower-case; <see cref="PasswordHash"/> is an ASP.NET Core Identity V3 hash.</summary>
public sealed record UserAccount(
    string UserName,
    string PasswordHash,
    string Role,
    RegionScope RegionScope,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
