namespace GridGov.Realtime.Silo.Devices;

/// <summary>Devices in memory (tests, hosts without storage); same contract as the SQLite store.</summary>
public sealed class InMemoryDeviceCredentialStore : IDeviceCredentialStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, DeviceCredential> _devices = new(StringComparer.Ordinal);

    public Task<DeviceCredential?> FindAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_devices.GetValueOrDefault(deviceId));
    }

    public Task<IReadOnlyList<string>> AddAllAsync(IReadOnlyList<DeviceCredential> devices, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var existing = devices.Where(d => _devices.ContainsKey(d.DeviceId)).Select(d => d.DeviceId).ToList();
            if (existing.Count == 0) foreach (var d in devices) _devices.Add(d.DeviceId, d);
            return Task.FromResult<IReadOnlyList<string>>(existing);
        }
    }

    public Task<(IReadOnlyList<DeviceCredential> Items, int Total)> ListAsync(DeviceKind? kind, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var all = _devices.Values.Where(d => kind is null || d.Kind == kind).ToList();
            return Task.FromResult<(IReadOnlyList<DeviceCredential>, int)>((all.Skip(offset).Take(limit).ToList(), all.Count));
        }
    }

    public Task<bool> RevokeAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(deviceId, out var d) || d.Revoked) return Task.FromResult(false);
            _devices[deviceId] = d with { RevokedAt = at };
            return Task.FromResult(true);
        }
    }
}
