using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// The HS256 key: <c>Auth:SigningKey</c> when set, otherwise <c>{DataDirectory}/jwt-signing.key</c>,
/// generated (64 random bytes, mode 0600) on first start and reused afterwards so tokens survive restarts.
/// </summary>
internal sealed class SigningKeyProvider
{
    public const string KeyFileName = "jwt-signing.key";
    private const int GeneratedKeyBytes = 64;

    private readonly Lazy<byte[]> _key;

    public SigningKeyProvider(IOptions<AuthOptions> options, ILogger<SigningKeyProvider> logger)
    {
        var settings = options.Value;
        _key = new Lazy<byte[]>(() => Load(settings, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public byte[] Key => _key.Value;

    public static string KeyPath(string dataDirectory) => Path.Combine(dataDirectory, KeyFileName);

    /// <summary>Decodes a base64 key; null when malformed or shorter than the minimum.</summary>
    public static byte[]? TryDecode(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return null;
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= AuthOptions.MinSigningKeyBytes
            ? buffer[..written]
            : null;
    }

    private static byte[] Load(AuthOptions settings, ILogger logger)
    {
        if (settings.SigningKey is not null)
        {
            logger.SigningKeyFromConfiguration();
            return TryDecode(settings.SigningKey) ?? throw new InvalidOperationException("Auth:SigningKey is invalid.");
        }

        var path = KeyPath(settings.DataDirectory ?? throw new InvalidOperationException("Auth:DataDirectory is required for the generated signing key."));
        if (!File.Exists(path))
        {
            var created = OwnerOnlyFile.TryCreate(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes)));
            if (created) logger.SigningKeyGenerated(path);
        }
        if (OwnerOnlyFile.Tighten(path)) logger.SecretFileTightened(path);
        return TryDecode(File.ReadAllText(path))
            ?? throw new InvalidOperationException(
                $"The signing key file '{path}' is not base64 of at least {AuthOptions.MinSigningKeyBytes} bytes. Delete it to generate a new key (this invalidates issued tokens).");
    }
}
