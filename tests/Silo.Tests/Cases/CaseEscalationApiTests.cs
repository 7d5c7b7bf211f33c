using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Cases;

public sealed class CaseEscalationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Monday 2026-03-02 09:00 in Beijing: filing → dispatch has 15 working minutes.
    private static readonly DateTimeOffset Monday0900 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Signals the first escalation the host's case grains report.</summary>
    private sealed class EscalationSignal : ICaseNotifier
    {
        public TaskCompletionSource<CaseEscalated> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task CaseChangedAsync(CaseView view, CaseEvent change) => Task.CompletedTask;
        public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue) => Task.CompletedTask;
        public Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated)
        {
            First.TrySetResult(escalated);
            return Task.CompletedTask;
        }
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task The_case_and_its_history_show_whom_an_overdue_case_is_escalated_to()
    {
        var time = new FakeTimeProvider(Monday0900);
        var signal = new EscalationSignal();
        using var inner = new SiloFactory();
        using var factory = inner.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<ICaseNotifier>(signal);
        }));
        var admin = factory.CreateClient();
        var token = await JsonOf(await admin.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = SiloFactory.AdminPassword }, Ct));
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("access_token").GetString());

        var report = await JsonOf(await admin.PostAsJsonAsync("/api/cases",
            new { categoryCode = "0101", kind = "Component", urgency = "Normal", description = "井盖破损", regionCode = "31010400100101" }, Ct));
        var id = report.GetProperty("id").GetString()!;
        Assert.Equal((0, JsonValueKind.Null), (report.GetProperty("escalationLevel").GetInt32(), report.GetProperty("escalatedTo").ValueKind));
        foreach (var (command, fields) in new (string, object?)[] { ("RequestVerification", null), ("Verify", new { confirmed = true }), ("File", null) })
            await JsonOf(await admin.PostAsJsonAsync($"/api/cases/{id}/commands", new { requestId = command, command, fields }, Ct));

        time.SetUtcNow(Monday0900.AddMinutes(15)); // not dispatched in time
        await signal.First.Task.Within();

        var view = await JsonOf(await admin.GetAsync($"/api/cases/{id}", Ct));
        Assert.Equal(("310104001", "Street", 1, true), (view.GetProperty("escalatedTo").GetString(), view.GetProperty("escalatedToLevel").GetString(),
            view.GetProperty("escalationLevel").GetInt32(), view.GetProperty("overdue").GetBoolean()));
        Assert.Equal(Monday0900.AddMinutes(15), view.GetProperty("escalatedAt").GetDateTimeOffset());

        var history = await JsonOf(await admin.GetAsync($"/api/cases/{id}/history", Ct));
        var last = history[history.GetArrayLength() - 1];
        Assert.Equal(("escalated", "system"), (last.GetProperty("type").GetString(), last.GetProperty("actorName").GetString()));
        Assert.StartsWith("escalated to street 310104001 (level 1): Dispatch overdue since", last.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
