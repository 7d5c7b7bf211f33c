using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GridGov.Realtime.Silo.Devices;

/// <summary>
/// Device secrets: generated from 32 random bytes, stored as PBKDF2-HMAC-SHA512 with a per-device 16-byte salt in
/// the form <c>pbkdf2-sha512$iterations$salt$hash</c> (base64), compared in constant time.
/// </summary>
public static class DeviceSecretHasher
{
    public const int DefaultIterations = 100_000;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new secret: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="secret"/> matches <paramref name="stored"/>; a malformed hash never matches.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not [Scheme, var iterText, var saltText, var hashText]
            || !int.TryParse(iterText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }
        if (expected.Length != HashBytes) return false;
        Span<byte> actual = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(secret, salt, actual, iterations, HashAlgorithmName.SHA512);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
