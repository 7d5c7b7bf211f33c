using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Issues HS256 JWTs (RFC 7519) for authenticated users.</summary>
internal sealed class JwtIssuer(SigningKeyProvider key, IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly string EncodedHeader =
        Base64UrlCodec.Encode("""{"alg":"HS256","typ":"JWT"}"""u8);

    public (string Token, DateTimeOffset ExpiresAt) Issue(UserAccount user)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var expires = now + settings.TokenLifetime;

        var payload = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString(JwtNames.Issuer, settings.Issuer);
            json.WriteString(JwtNames.Audience, settings.Audience);
            json.WriteString(JwtNames.Subject, user.UserName);
            json.WriteString(JwtNames.Role, user.Role);
            json.WriteString(JwtNames.RegionScope, user.RegionScope.Code ?? throw new InvalidOperationException("A user without a region scope cannot get a token."));
            json.WriteNumber(JwtNames.IssuedAt, now.ToUnixTimeSeconds());
            json.WriteNumber(JwtNames.NotBefore, now.ToUnixTimeSeconds());
            json.WriteNumber(JwtNames.ExpiresAt, expires.ToUnixTimeSeconds());
            json.WriteString(JwtNames.JwtId, Base64UrlCodec.Encode(RandomNumberGenerator.GetBytes(16)));
            json.WriteEndObject();
        }

        var signingInput = $"{EncodedHeader}.{Base64UrlCodec.Encode(payload.WrittenSpan)}";
        var signature = HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(signingInput));
        return ($"{signingInput}.{Base64UrlCodec.Encode(signature)}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }
}
