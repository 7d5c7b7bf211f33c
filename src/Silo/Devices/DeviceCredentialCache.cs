using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GridGov.Realtime.Silo.Devices;

/// <summary>
/// Verifies device secrets with an in-memory cache, so a reconnect storm neither reads SQLite nor re-runs PBKDF2 for
/// every CONNECT: an entry holds the device's row and, once a secret has matched its hash, an HMAC of that secret under
/// a per-process random key (never the secret itself). Entries are reloaded after <see cref="MaxAge"/> (bounding how
/// long a change made by another process, such as the CLI, goes unseen) and replaced by the revoked row on revoke.
/// </summary>
public sealed class DeviceCredentialCache(IDeviceCredentialStore store, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The device's row (null when <paramref name="deviceId"/> is no device) and whether <paramref name="secret"/> is its secret.</summary>
    public async ValueTask<(DeviceCredential? Device, bool SecretMatches)> VerifyAsync(string deviceId, ReadOnlyMemory<byte> secret, CancellationToken cancellationToken)
    {
        if (!DeviceKinds.IsValidId(deviceId)) return (null, false);
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(deviceId, out var entry) || now - entry.LoadedAt > MaxAge)
        {
            var device = await store.FindAsync(deviceId, cancellationToken);
            if (device is null)
            {
                if (entry is not null) _entries.TryRemove(KeyValuePair.Create(deviceId, entry));
                return (null, false);
            }
            // Keep the verified digest across a reload when the hash did not change.
            var fresh = new Entry(device, now, entry?.Device.SecretHash == device.SecretHash ? entry.Verified : null);
            entry = entry is null ? _entries.GetOrAdd(deviceId, fresh) : _entries.TryUpdate(deviceId, fresh, entry) ? fresh : _entries.GetValueOrDefault(deviceId, fresh);
        }
        if (entry.Device.Revoked) return (entry.Device, false);

        var digest = HMACSHA256.HashData(_key, secret.Span);
        if (entry.Verified is { } known) return (entry.Device, CryptographicOperations.FixedTimeEquals(known, digest));
        if (!DeviceSecretHasher.Verify(secret.Span, entry.Device.SecretHash)) return (entry.Device, false);
        // Only if the entry is still the one verified against (a revoke in between replaced it).
        _entries.TryUpdate(deviceId, new Entry(entry.Device, entry.LoadedAt, digest), entry);
        return (entry.Device, true);
    }

    /// <summary>Marks a revoked device in the cache at once (its next CONNECT is refused without a database read).</summary>
    public void Revoked(DeviceCredential revoked) => _entries[revoked.DeviceId] = new Entry(revoked, time.GetUtcNow(), null);

    public int Count => _entries.Count;

    // A class, not a record: TryUpdate must compare entries by reference.
    private sealed class Entry(DeviceCredential device, DateTimeOffset loadedAt, byte[]? verified)
    {
        public DeviceCredential Device { get; } = device;
        public DateTimeOffset LoadedAt { get; } = loadedAt;
        public byte[]? Verified { get; } = verified;
    }
}
