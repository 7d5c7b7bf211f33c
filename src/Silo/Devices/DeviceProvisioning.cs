using System.Text;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Grains.Directory;

namespace GridGov.Realtime.Silo.Devices;

/// <summary>A device to provision; a null <see cref="RegionCode"/> is taken from the worker or sensor of the same id.</summary>
public sealed record DeviceRequest(string? DeviceId, string? Kind, string? RegionCode, string? Secret);

/// <summary>A provisioned device and its secret in clear: shown once, then only its hash exists.</summary>
public sealed record ProvisionedDevice(DeviceCredential Device, string Secret);

public enum ProvisionStatus { Created, Invalid, Conflict }

public sealed record ProvisionResult(ProvisionStatus Status, ProvisionedDevice? Created, IDictionary<string, string[]> Errors);

public sealed record DeviceImportResult(IReadOnlyList<ProvisionedDevice> Created, IReadOnlyList<CsvImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Provisioning, bulk import and revocation of device credentials, shared by the REST API and the CLI. Validation
/// happens before anything is written; a bulk import writes every device or none.
/// </summary>
public sealed class DeviceProvisioning(
    IDeviceCredentialStore store,
    DeviceCredentialCache cache,
    IRegionDirectory regions,
    IWorkerDirectory workers,
    TimeProvider time,
    IServiceProvider services)
{
    public static IReadOnlyList<string> CsvColumns { get; } = ["device_id", "kind", "region_code"];

    /// <summary>
    /// Iterations for generated secrets: 256 random bits cannot be guessed, so stretching adds nothing but CPU on a bulk
    /// import; secrets chosen by an admin get <see cref="DeviceSecretHasher.DefaultIterations"/>.
    /// </summary>
    public const int GeneratedSecretIterations = 10_000;

    public async Task<ProvisionResult> CreateAsync(DeviceRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var (kind, region) = Validate(request.DeviceId, request.Kind, request.RegionCode, (field, message) => errors[field] = [message]);
        if (request.Secret is { } s && (s.Length < DeviceSecretHasher.MinSecretLength || s.Length > DeviceSecretHasher.MaxSecretLength))
            errors["secret"] = [$"A secret is {DeviceSecretHasher.MinSecretLength}–{DeviceSecretHasher.MaxSecretLength} characters; leave it out to have one generated."];
        if (errors.Count > 0) return new(ProvisionStatus.Invalid, null, errors);

        var created = Build(request.DeviceId!, kind, region!, request.Secret);
        var existing = await store.AddAllAsync([created.Device], cancellationToken);
        if (existing.Count > 0)
            return new(ProvisionStatus.Conflict, null, new Dictionary<string, string[]> { ["deviceId"] = [$"Device '{request.DeviceId}' already exists (ids of revoked devices are not reused)."] });
        return new(ProvisionStatus.Created, created, errors);
    }

    /// <summary>Reads <c>device_id,kind,region_code</c> (header required) and provisions every row with a generated secret, or none.</summary>
    public async Task<DeviceImportResult> ImportAsync(ReadOnlyMemory<byte> utf8Csv, CancellationToken cancellationToken = default)
    {
        var errors = new List<CsvImportError>();
        if (!CsvReader.TryDecode(utf8Csv.Span, out var text, out var decodeError)) return new([], [decodeError!]);
        if (!CsvReader.TryParse(text, out var records, out var parseError)) return new([], [parseError!]);
        if (records.Count == 0) return new([], [new CsvImportError(1, null, null, "The file is empty; expected the header device_id,kind,region_code.")]);
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        if (!header.SequenceEqual(CsvColumns, StringComparer.OrdinalIgnoreCase))
            return new([], [new CsvImportError(records[0].Line, null, string.Join(',', header), "The header must be device_id,kind,region_code.")]);

        var rows = new List<(int Line, string Id, DeviceKind Kind, string Region)>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != CsvColumns.Count)
            {
                errors.Add(new CsvImportError(record.Line, null, null, $"Expected {CsvColumns.Count} fields, found {record.Fields.Count}."));
                continue;
            }
            var before = errors.Count;
            var id = record.Fields[0].Trim();
            var kindText = record.Fields[1].Trim();
            var regionText = record.Fields[2].Trim();
            var (kind, region) = Validate(id, kindText, regionText.Length == 0 ? null : regionText, (field, message) =>
            {
                var (column, value) = field switch { "deviceId" => ("device_id", id), "kind" => ("kind", kindText), _ => ("region_code", regionText) };
                errors.Add(new CsvImportError(record.Line, column, value, message));
            });
            if (DeviceKinds.IsValidId(id) && !firstLine.TryAdd(id, record.Line))
                errors.Add(new CsvImportError(record.Line, "device_id", id, $"Duplicate device id; line {firstLine[id]} already has it."));
            if (errors.Count == before) rows.Add((record.Line, id, kind, region!));
        }
        if (rows.Count == 0 && errors.Count == 0) errors.Add(new CsvImportError(records[0].Line, null, null, "The file has a header but no devices."));
        if (errors.Count > 0) return new([], errors);

        var created = new ProvisionedDevice[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => created[i] = Build(rows[i].Id, rows[i].Kind, rows[i].Region, null));
        var existing = await store.AddAllAsync([.. created.Select(c => c.Device)], cancellationToken);
        if (existing.Count == 0) return new(created, []);
        var taken = existing.ToHashSet(StringComparer.Ordinal);
        return new([], [.. rows.Where(r => taken.Contains(r.Id)).Select(r => new CsvImportError(r.Line, "device_id", r.Id, "The device already exists (ids of revoked devices are not reused)."))]);
    }

    /// <summary>Revokes the device and closes its live MQTT connections; false when there is no such (unrevoked) device.</summary>
    public async Task<bool> RevokeAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        if (!DeviceKinds.IsValidId(deviceId)) return false;
        if (!await store.RevokeAsync(deviceId, time.GetUtcNow(), cancellationToken)) return false;
        if (await store.FindAsync(deviceId, cancellationToken) is { } revoked) cache.Revoked(revoked);
        // The CLI has no broker; a running server closes the device's connections (5.0: DISCONNECT 0x98).
        services.GetService<IMqttBroker>()?.DisconnectDevice(deviceId);
        return true;
    }

    public Task<DeviceCredential?> FindAsync(string deviceId, CancellationToken cancellationToken = default) => store.FindAsync(deviceId, cancellationToken);

    public Task<(IReadOnlyList<DeviceCredential> Items, int Total)> ListAsync(DeviceKind? kind, int offset, int limit, CancellationToken cancellationToken = default) =>
        store.ListAsync(kind, offset, limit, cancellationToken);

    /// <summary>The secrets of an import as CSV <c>device_id,secret</c>.</summary>
    public static string ToCsv(IEnumerable<ProvisionedDevice> created)
    {
        var csv = new StringBuilder("device_id,secret\n");
        foreach (var c in created) csv.Append(c.Device.DeviceId).Append(',').Append(c.Secret).Append('\n');
        return csv.ToString();
    }

    private (DeviceKind Kind, string? Region) Validate(string? id, string? kindText, string? regionCode, Action<string, string> error)
    {
        if (!DeviceKinds.IsValidId(id)) error("deviceId", DeviceKinds.IdRule);
        if (!DeviceKinds.TryParse(kindText, out var kind))
        {
            error("kind", "Kind must be 'terminal' or 'sensor'.");
            return (kind, null);
        }
        var region = regionCode;
        if (region is null)
        {
            region = id is null ? null : kind == DeviceKind.Terminal ? workers.FindWorker(id)?.RegionCode : workers.FindSensor(id)?.GridCode;
            if (region is null) error("regionCode", $"A region code is required: there is no {DeviceKinds.Name(kind)} '{id}' in the worker/sensor directory to take it from.");
            return (kind, region);
        }
        if (!regions.Scheme.TryGetLevel(region, out _, out var schemeError)) error("regionCode", schemeError);
        else if (regions.Tree is { Count: > 0 } && regions.Find(region) is null) error("regionCode", $"Unknown region '{region}': it is not in the installed region tree.");
        return (kind, region);
    }

    private ProvisionedDevice Build(string id, DeviceKind kind, string region, string? secret)
    {
        var generated = secret is null;
        secret ??= DeviceSecretHasher.Generate();
        var hash = DeviceSecretHasher.Hash(secret, generated ? GeneratedSecretIterations : DeviceSecretHasher.DefaultIterations);
        return new ProvisionedDevice(new DeviceCredential(id, kind, hash, region, time.GetUtcNow(), null), secret);
    }
}
