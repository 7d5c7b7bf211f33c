using System.Security.Cryptography;
using System.Text;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Auth;

/// <summary>Hand-made JWTs for negative tests.</summary>
internal static class TestTokens
{
    public static string B64(string json) => Base64UrlCodec.Encode(Encoding.UTF8.GetBytes(json));

    public static string Sign(byte[] key, string headerJson, string payloadJson)
    {
        var input = $"{B64(headerJson)}.{B64(payloadJson)}";
        return $"{input}.{Base64UrlCodec.Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)))}";
    }

    public const string Header = """{"alg":"HS256","typ":"JWT"}""";

    public static string Payload(
        DateTimeOffset now,
        TimeSpan? expiresIn = null,
        TimeSpan? notBefore = null,
        string iss = "\"gridgov-realtime\"",
        string aud = "\"gridgov-realtime\"",
        string sub = "admin",
        string role = "admin",
        string scope = "") =>
        $$"""
        {"iss":{{iss}},"aud":{{aud}},"sub":"{{sub}}","role":"{{role}}","region_scope":"{{scope}}",
         "nbf":{{(now + (notBefore ?? TimeSpan.Zero)).ToUnixTimeSeconds()}},
         "exp":{{(now + (expiresIn ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds()}}}
        """;
}
