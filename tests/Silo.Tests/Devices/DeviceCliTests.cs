using System.Text;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Silo.Cli;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tests.Devices;

public sealed class DeviceCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private StringWriter _out = new();
    private StringWriter _err = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string DataDir => Path.Combine(_dir.Path, "data");

    private async Task<int?> RunAsync(params string[] args)
    {
        _out = new StringWriter();
        _err = new StringWriter();
        return await CliCommands.TryRunAsync([.. args, $"--Silo:DataDirectory={DataDir}"], _out, _err);
    }

    private async Task<DeviceCredential?> FindAsync(string id)
    {
        await using var db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = DataDir }), [SqliteDeviceCredentialStore.Migration], NullLogger<SqliteDatabase>.Instance);
        await db.InitializeAsync(Ct);
        return await new SqliteDeviceCredentialStore(db).FindAsync(id, Ct);
    }

    [Fact]
    public async Task AddPrintsTheSecretOnceAndRevokeRevokes()
    {
        Assert.Equal(0, await RunAsync("devices", "add", "t-1", "terminal", "320508001"));
        var secret = _out.ToString().Trim();
        Assert.Equal(43, secret.Length);
        Assert.Contains("shown only once", _err.ToString(), StringComparison.Ordinal);
        var stored = await FindAsync("t-1");
        Assert.Equal(DeviceKind.Terminal, stored!.Kind);
        Assert.True(DeviceSecretHasher.Verify(Encoding.UTF8.GetBytes(secret), stored.SecretHash));
        Assert.DoesNotContain(secret, stored.SecretHash, StringComparison.Ordinal);

        Assert.Equal(1, await RunAsync("devices", "add", "t-1", "terminal", "320508001"));
        Assert.Contains("already exists", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await RunAsync("devices", "add", "t/2", "camera", "320508001"));
        Assert.Contains("deviceId", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("kind", _err.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await RunAsync("devices", "revoke", "t-1"));
        Assert.NotNull((await FindAsync("t-1"))!.RevokedAt);
        Assert.Equal(1, await RunAsync("devices", "revoke", "t-1"));
        Assert.Contains("already revoked", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await RunAsync("devices", "revoke", "nobody"));
        Assert.Contains("no device", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPrintsIdSecretCsvOrChangesNothing()
    {
        var bad = Path.Combine(_dir.Path, "bad.csv");
        await File.WriteAllTextAsync(bad, "device_id,kind,region_code\ns-1,sensor,320508\ns-2,sensor,nowhere\n", Ct);
        Assert.Equal(1, await RunAsync("devices", "import", bad));
        Assert.Contains("line 3, column region_code, value 'nowhere'", _err.ToString(), StringComparison.Ordinal);
        Assert.Null(await FindAsync("s-1"));

        var good = Path.Combine(_dir.Path, "good.csv");
        await File.WriteAllTextAsync(good, "device_id,kind,region_code\ns-1,sensor,320508\nt-1,terminal,320508001\n", Ct);
        Assert.Equal(0, await RunAsync("devices", "import", good));
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("device_id,secret", lines[0]);
        Assert.Equal(["s-1", "t-1"], lines[1..].Select(l => l.Split(',')[0]));
        var s1 = await FindAsync("s-1");
        Assert.True(DeviceSecretHasher.Verify(Encoding.UTF8.GetBytes(lines[1].Split(',')[1]), s1!.SecretHash));
    }

    [Fact]
    public async Task UsageErrorsExitTwoAndAMissingFileOne()
    {
        Assert.Equal(2, await RunAsync("devices", "add", "t-1"));
        Assert.Contains("usage: devices add", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await RunAsync("devices", "add", "t-1", "terminal"));
        Assert.Equal(2, await RunAsync("devices", "frobnicate"));
        Assert.Equal(1, await RunAsync("devices", "import", Path.Combine(_dir.Path, "missing.csv")));
        Assert.Contains("file not found", _err.ToString(), StringComparison.Ordinal);
    }
}
