using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Tests.Edge;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Loop;

/// <summary>
/// "Killing the process at any point loses no acknowledged transition" (issue 5): the Silo runs as a child process,
/// many cases move through their lifecycle concurrently over REST, the process is killed like `kill -9` while
/// requests are in flight, and after a restart on the same data directory every transition that was answered 2xx
/// is in its case's audit trail. Requests that got no answer may or may not have happened.
/// </summary>
public sealed class KillDuringTransitionsTests
{
    private const int Cases = 20;
    private const int KillAfterAcks = 60; // of 20 × 8 (report + 7 commands): well inside the run
    private const string Handler = "kill-handler";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Ack(string CaseId, string? RequestId, long Version, string Status);

    [Fact]
    public async Task Every_transition_answered_2xx_before_a_kill_9_is_in_the_case_history_after_restart()
    {
        using var data = new TempDirectory();
        var grids = await PrepareAsync(data);
        var acks = new ConcurrentBag<Ack>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            var baseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}");
            using var staff = LoopClients.Client(baseAddress, await LoopClients.TokenAsync(baseAddress, "kill-staff", LoopClients.Password));
            using var handler = LoopClients.Client(baseAddress, await LoopClients.TokenAsync(baseAddress, Handler, LoopClients.Password));
            using var worker = LoopClients.Client(baseAddress, await LoopClients.TokenAsync(baseAddress, "kill-worker", LoopClients.Password));
            void Acked(Ack ack)
            {
                acks.Add(ack);
                if (acks.Count >= KillAfterAcks) enough.TrySetResult();
            }

            var drivers = Enumerable.Range(0, Cases).Select(i => Task.Run(() => DriveAsync(grids[i % grids.Count], staff, handler, worker, Acked), Ct)).ToArray();
            await Task.WhenAny(enough.Task, Task.WhenAll(drivers)).WaitAsync(TimeSpan.FromSeconds(120), Ct);
            await silo.KillAsync(); // not waiting for the requests in flight
            await Task.WhenAll(drivers).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{acks.Count} of {Cases * 8} transitions acknowledged before the kill");
        Assert.True(acks.Count is >= KillAfterAcks and < Cases * 8, $"{acks.Count} transitions acknowledged: the kill did not land mid-run");

        await using var again = await SiloProcess.StartAsync(data);
        var address = new Uri($"http://127.0.0.1:{again.HttpPort}");
        using var reader = LoopClients.Client(address, await LoopClients.TokenAsync(address, "kill-staff", LoopClients.Password));
        foreach (var byCase in acks.GroupBy(a => a.CaseId))
        {
            var history = (await reader.GetFromJsonAsync<JsonElement>($"/api/cases/{byCase.Key}/history", Ct)).EnumerateArray().ToList();
            foreach (var ack in byCase)
            {
                var entry = history.SingleOrDefault(e => e.GetProperty("seq").GetInt64() == ack.Version);
                Assert.True(entry.ValueKind == JsonValueKind.Object, $"{ack} is missing from the history after the kill");
                Assert.Equal((ack.RequestId ?? entry.GetProperty("requestId").GetString(), ack.Status),
                    (entry.GetProperty("requestId").GetString(), entry.GetProperty("to").GetString()));
            }

            var last = byCase.MaxBy(a => a.Version)!;
            var view = await reader.GetFromJsonAsync<JsonElement>($"/api/cases/{byCase.Key}", Ct);
            var version = view.GetProperty("version").GetInt64();
            Assert.True(version >= last.Version, $"{byCase.Key} is at version {version} after the restart; {last} was acknowledged");
            if (version == last.Version) Assert.Equal(last.Status, view.GetProperty("status").GetString());
        }
    }

    // A patrol case reported by a grid worker (no 核实 needed), then 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案, each acknowledged answer recorded.
    // The driver stops at the first request without an answer (the process is gone).
    private static async Task DriveAsync(string grid, HttpClient staff, HttpClient handler, HttpClient worker, Action<Ack> acked)
    {
        try
        {
            using var reported = await worker.PostAsJsonAsync("/api/cases", new
            {
                categoryCode = "0101", kind = "Component", urgency = "Normal", description = "井盖缺失", regionCode = grid,
            }, CancellationToken.None);
            reported.EnsureSuccessStatusCode();
            var view = await reported.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
            var caseId = view.GetProperty("id").GetString()!;
            acked(new Ack(caseId, null, view.GetProperty("version").GetInt64(), view.GetProperty("status").GetString()!));

            (HttpClient Client, string Command, object? Fields)[] steps =
            [
                (staff, "File", null), (staff, "Dispatch", new { department = Handler }), (handler, "Accept", null),
                (handler, "SubmitFeedback", new { note = "已修复" }), (staff, "RequestCheck", null), (worker, "PassCheck", null), (staff, "Close", null),
            ];
            foreach (var (client, command, fields) in steps)
            {
                var requestId = $"{command}-{caseId}";
                using var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/commands", new { requestId, command, fields }, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                Assert.True(response.IsSuccessStatusCode, $"{command} on {caseId}: {(int)response.StatusCode} {body}");
                var after = JsonDocument.Parse(body).RootElement;
                acked(new Ack(caseId, requestId, after.GetProperty("version").GetInt64(), after.GetProperty("status").GetString()!));
            }
        }
        catch (HttpRequestException)
        {
            // No answer: the process was killed with this request in flight (or before it was sent).
        }
        catch (IOException)
        {
            // The answer was cut off mid-body by the kill.
        }
    }

    // The city, its grids and the three people of the loop, written to the data directory by an in-process host first.
    private static async Task<List<string>> PrepareAsync(TempDirectory data)
    {
        await using var setup = new SiloFactory(BrokerRig.Settings(BrokerRig.FreePort(), 0), data.Path);
        using var admin = await setup.CreateAdminClientAsync();
        var demo = DemoCity.Create();
        await demo.InstallAsync(setup.Services.GetRequiredService<DirectoryImportService>(), Ct);
        var city = demo.City.Tree.Roots[0].Code;
        await LoopClients.CreateUserAsync(admin, "kill-staff", Roles.CommandStaff, city);
        await LoopClients.CreateUserAsync(admin, Handler, Roles.DepartmentHandler, city);
        await LoopClients.CreateUserAsync(admin, "kill-worker", Roles.GridWorker, city);
        return [.. demo.City.Tree.Grids.Take(Cases).Select(g => g.Code)];
    }
}
