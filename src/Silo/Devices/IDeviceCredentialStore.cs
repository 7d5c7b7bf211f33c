namespace GridGov.Realtime.Silo.Devices;

/// <summary>The <c>devices</c> table: SQLite in the host (<see cref="SqliteDeviceCredentialStore"/>), memory in tests.</summary>
public interface IDeviceCredentialStore
{
    Task<DeviceCredential?> FindAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds every device or none: returns the ids that already exist (revoked ones included, ids are never reused);
    /// empty when all were added.
    /// </summary>
    Task<IReadOnlyList<string>> AddAllAsync(IReadOnlyList<DeviceCredential> devices, CancellationToken cancellationToken = default);

    /// <summary>One page ordered by id (offset/limit), and the total count, optionally of one kind.</summary>
    Task<(IReadOnlyList<DeviceCredential> Items, int Total)> ListAsync(DeviceKind? kind, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Sets <c>revoked_at</c> once; false when the device does not exist or was already revoked.</summary>
    Task<bool> RevokeAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
