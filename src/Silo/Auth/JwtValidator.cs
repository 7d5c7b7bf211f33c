using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Validates HS256 JWTs: compact form, header alg exactly HS256 (so "none" and every other alg are
/// refused), no unknown critical headers, constant-time signature check, then exp/nbf (with clock skew),
/// iss, aud and our claims. Errors are short, fixed phrases safe to put in a WWW-Authenticate header.
/// </summary>
internal sealed class JwtValidator(SigningKeyProvider key, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Longer tokens are refused before any work (ours are ~400 characters).</summary>
    public const int MaxTokenLength = 4096;

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    public TokenValidationResult Validate(string token)
    {
        if (token.Length is 0 or > MaxTokenLength) return TokenValidationResult.Invalid("The token is malformed");
        var parts = token.Split('.');
        if (parts.Length != 3) return TokenValidationResult.Invalid("The token is malformed");

        var headerError = CheckHeader(parts[0]);
        if (headerError is not null) return TokenValidationResult.Invalid(headerError);

        var signature = Base64UrlCodec.TryDecode(parts[2]);
        var expected = HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (signature is null || !CryptographicOperations.FixedTimeEquals(signature, expected))
            return TokenValidationResult.Invalid("The token signature is invalid");

        var payload = Base64UrlCodec.TryDecode(parts[1]);
        if (payload is null) return TokenValidationResult.Invalid("The token is malformed");
        try
        {
            using var document = JsonDocument.Parse(payload, StrictJson);
            return CheckPayload(document.RootElement);
        }
        catch (JsonException)
        {
            return TokenValidationResult.Invalid("The token is malformed");
        }
    }

    private static string? CheckHeader(string encoded)
    {
        var bytes = Base64UrlCodec.TryDecode(encoded);
        if (bytes is null) return "The token is malformed";
        try
        {
            using var header = JsonDocument.Parse(bytes, StrictJson);
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "The token is malformed";
            if (!root.TryGetProperty(JwtNames.Algorithm, out var alg) || alg.ValueKind != JsonValueKind.String
                || alg.GetString() != JwtNames.HS256)
                return "The token algorithm is not accepted";
            if (root.TryGetProperty(JwtNames.Critical, out _)) return "The token has unsupported critical headers";
            if (root.TryGetProperty(JwtNames.Type, out var typ)
                && (typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), JwtNames.JwtType, StringComparison.OrdinalIgnoreCase)))
                return "The token type is not JWT";
            return null;
        }
        catch (JsonException)
        {
            return "The token is malformed";
        }
    }

    private TokenValidationResult CheckPayload(JsonElement claims)
    {
        if (claims.ValueKind != JsonValueKind.Object) return TokenValidationResult.Invalid("The token is malformed");
        var settings = options.Value;
        var now = time.GetUtcNow();

        if (ReadTime(claims, JwtNames.ExpiresAt) is not { } exp) return TokenValidationResult.Invalid("The token has no valid expiry");
        if (now >= exp + settings.ClockSkew) return TokenValidationResult.Invalid("The token expired");
        if (claims.TryGetProperty(JwtNames.NotBefore, out _))
        {
            if (ReadTime(claims, JwtNames.NotBefore) is not { } nbf) return TokenValidationResult.Invalid("The token is malformed");
            if (now < nbf - settings.ClockSkew) return TokenValidationResult.Invalid("The token is not yet valid");
        }

        if (ReadString(claims, JwtNames.Issuer) != settings.Issuer) return TokenValidationResult.Invalid("The token issuer is not accepted");
        if (!HasAudience(claims, settings.Audience)) return TokenValidationResult.Invalid("The token audience is not accepted");

        var subject = ReadString(claims, JwtNames.Subject);
        var role = ReadString(claims, JwtNames.Role);
        if (UserInputValidation.ValidateUserName(subject) is not null || !Roles.IsKnown(role)
            || !RegionScope.TryParse(ReadString(claims, JwtNames.RegionScope), out var scope))
            return TokenValidationResult.Invalid("The token claims are invalid");

        return TokenValidationResult.Valid(new TokenClaims(UserInputValidation.Normalize(subject!), role!, scope, exp));
    }

    private static string? ReadString(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional.</summary>
    private static DateTimeOffset? ReadTime(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds))
            return null;
        const double maxSeconds = 253402300799; // 9999-12-31T23:59:59Z
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > maxSeconds) return null;
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>aud is a string or an array of strings (RFC 7519 §4.1.3); ours must be among them.</summary>
    private static bool HasAudience(JsonElement claims, string audience)
    {
        if (!claims.TryGetProperty(JwtNames.Audience, out var aud)) return false;
        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };
    }
}
