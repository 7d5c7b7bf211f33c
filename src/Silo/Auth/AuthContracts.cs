using System.Text.Json.Serialization;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Body of <c>POST /api/auth/token</c>.</summary>
public sealed record TokenRequest(
    [property: JsonPropertyName("username")] string? UserName,
    [property: JsonPropertyName("password")] string? Password);

/// <summary>Issued token (OAuth 2.0 token response shape, RFC 6749 §5.1).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("region_scope")] string RegionScope);

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(
    [property: JsonPropertyName("username")] string? UserName,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("region_scope")] string? RegionScope);

/// <summary>Body of <c>PUT /api/users/{username}</c>; absent fields are left unchanged.</summary>
public sealed record UpdateUserRequest(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("region_scope")] string? RegionScope,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("disabled")] bool? Disabled);

/// <summary>A user as the API shows it (never the password hash).</summary>
public sealed record UserView(
    [property: JsonPropertyName("username")] string UserName,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("region_scope")] string RegionScope,
    [property: JsonPropertyName("disabled")] bool Disabled,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    internal static UserView From(UserAccount user) =>
        new(user.UserName, user.Role, user.RegionScope.Code ?? "", user.Disabled, user.CreatedAt, user.UpdatedAt);
}
