using System.Text;
using GridGov.Realtime.Actors.Storage;
using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Actors.Tests;

public sealed class StateTests
{
    [Fact]
    public async Task StateSurvivesAHostRestartOnTheSameSqliteFile()
    {
        using var dir = new TempDirectory();
        await using (var first = await TestHosts.Sqlite(dir.Path))
        {
            await first.Grains.GetGrain<IProfileGrain>("w-001").SetName("Li Wei");
            await first.Grains.GetGrain<IProfileGrain>("w-002").SetName("Wang Fang");
        }
        await using var second = await TestHosts.Sqlite(dir.Path);
        Assert.Equal("Li Wei", await second.Grains.GetGrain<IProfileGrain>("w-001").GetName());
        Assert.Equal("Wang Fang", await second.Grains.GetGrain<IProfileGrain>("w-002").GetName());
        Assert.Null(await second.Grains.GetGrain<IProfileGrain>("w-003").GetName());
    }

    [Fact]
    public async Task ClearedStateStaysClearedAfterRestart()
    {
        using var dir = new TempDirectory();
        await using (var first = await TestHosts.Sqlite(dir.Path))
        {
            var g = first.Grains.GetGrain<IProfileGrain>("w-001");
            await g.SetName("Li Wei");
            await g.Clear();
            await g.SetName("Zhao Lei");
            await g.Clear();
        }
        await using var second = await TestHosts.Sqlite(dir.Path);
        Assert.Null(await second.Grains.GetGrain<IProfileGrain>("w-001").GetName());
    }

    [Fact]
    public async Task AStaleWriterGetsAConflictInSteadOfOverwriting_Sqlite()
    {
        using var dir = new TempDirectory();
        await using var host = await TestHosts.Sqlite(dir.Path);
        await AssertStaleWriterConflicts(host);
    }

    [Fact]
    public async Task AStaleWriterGetsAConflictInSteadOfOverwriting_Memory()
    {
        await using var host = await TestHosts.InMemory();
        await AssertStaleWriterConflicts(host);
    }

    private static async Task AssertStaleWriterConflicts(ActorTestHost host)
    {
        var grain = host.Grains.GetGrain<IProfileGrain>("contested");
        await grain.SetName("first");
        var etag = await grain.GetETag();
        Assert.NotNull(etag);

        // Another writer (a stale owner in cluster mode) updates the row behind the activation's back.
        var storage = host.Services.GetRequiredService<IGrainStorage>();
        var id = new GrainId("profile", "contested");
        var intruder = """{"Name":"intruder","Revisions":9}"""u8.ToArray();
        await storage.WriteAsync(id, "profile", intruder, etag);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetName("second"));
        Assert.Contains("changed by another writer", ex.Message, StringComparison.Ordinal);
        var stored = await storage.ReadAsync(id, "profile");
        Assert.Contains("intruder", Encoding.UTF8.GetString(stored!.Payload), StringComparison.Ordinal);

        // Inserting over an existing row and clearing with a stale tag are conflicts too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(id, "profile", intruder, null));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(id, "profile", etag));
    }

    [Fact]
    public async Task ConcurrentWritesToManyGrainsAllLand()
    {
        using var dir = new TempDirectory();
        await using (var host = await TestHosts.Sqlite(dir.Path))
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => host.Grains.GetGrain<IProfileGrain>($"p{i}").SetName($"name-{i}")));
        }
        await using var again = await TestHosts.Sqlite(dir.Path);
        for (var i = 0; i < 300; i += 37) Assert.Equal($"name-{i}", await again.Grains.GetGrain<IProfileGrain>($"p{i}").GetName());
    }
}
