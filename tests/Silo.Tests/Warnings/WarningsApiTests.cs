using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Warnings;

/// <summary>The demo city (310100 with districts 310101–310103) and command staff at city, two districts and a street.</summary>
public sealed class WarningsSiloFixture : IAsyncLifetime
{
    public SiloFactory Factory { get; } = new();
    public DemoCity Demo { get; } = DemoCity.Create();
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient City { get; private set; } = null!;
    public HttpClient District1 { get; private set; } = null!;
    public HttpClient District2 { get; private set; } = null!;
    public HttpClient Street { get; private set; } = null!;
    public HttpClient Worker { get; private set; } = null!;
    public string StreetCode { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Admin = await Factory.CreateAdminClientAsync();
        await Demo.InstallAsync(Factory.Services.GetRequiredService<DirectoryImportService>(), TestContext.Current.CancellationToken);
        StreetCode = Demo.City.Tree.Find("310101")!.Children[0].Code;
        City = await Factory.CreateUserClientAsync("w-city", Roles.CommandStaff, "310100");
        District1 = await Factory.CreateUserClientAsync("w-d1", Roles.CommandStaff, "310101");
        District2 = await Factory.CreateUserClientAsync("w-d2", Roles.CommandStaff, "310102");
        Street = await Factory.CreateUserClientAsync("w-s", Roles.CommandStaff, StreetCode);
        Worker = await Factory.CreateUserClientAsync("w-worker", Roles.GridWorker, "310101");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in new[] { Admin, City, District1, District2, Street, Worker }) c.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>
/// Each test works on its own district or street so tests stay independent on the shared host:
/// 310101 (and its streets) for issuing rules, 310102 for changes and lifts, 310103 for effective levels.
/// </summary>
public sealed class WarningsApiTests(WarningsSiloFixture fx) : IClassFixture<WarningsSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Issue(HttpClient client, string code, string level, string? requestId = null, string reason = "heavy rain") =>
        client.PostAsJsonAsync($"/api/regions/{code}/warnings", new { requestId = requestId ?? Guid.NewGuid().ToString("N"), level, reason }, Ct);

    private static Task<HttpResponseMessage> Change(HttpClient client, string code, string id, string level) =>
        client.PutAsJsonAsync($"/api/regions/{code}/warnings/{id}", new { requestId = Guid.NewGuid().ToString("N"), level, reason = "update" }, Ct);

    private static Task<HttpResponseMessage> Lift(HttpClient client, string code, string id, string reason = "all clear") =>
        client.DeleteAsync($"/api/regions/{code}/warnings/{id}?reason={Uri.EscapeDataString(reason)}", Ct);

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private async Task<string?> LevelOf(HttpClient client, string code)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/regions/{code}/warning-level", Ct);
        return body.GetProperty("level").ValueKind == JsonValueKind.Null ? null : body.GetProperty("level").GetString();
    }

    [Fact]
    public async Task IssuingFollowsTheLevelThresholdsAndTheScope()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Issue(fx.Street, fx.StreetCode, "Orange")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Issue(fx.Street, fx.StreetCode, "Yellow")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Issue(fx.District1, "310101", "Red")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Issue(fx.District2, "310101", "Blue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Issue(fx.Worker, "310101", "Blue")).StatusCode);
        var blue = await IdOf(await Issue(fx.Street, fx.StreetCode, "Blue"));
        Assert.StartsWith(fx.StreetCode, blue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.Street, fx.StreetCode, blue)).StatusCode);
    }

    [Fact]
    public async Task BadRequestsNameTheField()
    {
        var noLevel = await Issue(fx.City, "310101", "Purple");
        Assert.Equal(HttpStatusCode.BadRequest, noLevel.StatusCode);
        Assert.True((await noLevel.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("level", out _));
        var noReason = await Issue(fx.City, "310101", "Blue", reason: "");
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("reason", out _));
        var orangeOnAStreet = await Issue(fx.City, fx.StreetCode, "Orange");
        Assert.Equal(HttpStatusCode.BadRequest, orangeOnAStreet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Issue(fx.City, "310199", "Blue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Lift(fx.City, "310101", "310101-999")).StatusCode);
        var liftWithoutReason = await fx.City.DeleteAsync("/api/regions/310101/warnings/310101-999", Ct);
        Assert.True((await liftWithoutReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task ChangeAndLiftOnlyByTheIssuerASuperiorOrAdminAndHistoryIsKept()
    {
        var id = await IdOf(await Issue(fx.District2, "310102", "Yellow"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Lift(fx.District1, "310102", id)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Change(fx.District1, "310102", id, "Blue")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Change(fx.City, "310102", id, "Blue")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Change(fx.Admin, "310102", id, "Red")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.District2, "310102", id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.District2, "310102", id)).StatusCode); // same lift again: idempotent

        var listed = await fx.District2.GetFromJsonAsync<JsonElement>("/api/regions/310102/warnings", Ct);
        Assert.Equal(0, listed.GetProperty("active").GetArrayLength());
        var history = listed.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("warningId").GetString() == id).ToList();
        Assert.Equal(["Issued", "Lowered", "Raised", "Lifted"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(["w-d2", "w-city", "admin", "w-d2"], history.Select(h => h.GetProperty("by").GetString()));
        Assert.Equal("all clear", history[^1].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310102/warnings", Ct)).StatusCode);
    }

    [Fact]
    public async Task RepeatingARequestIdIssuesOnce()
    {
        var first = await Issue(fx.District1, fx.StreetCode, "Blue", requestId: "same-request");
        var again = await Issue(fx.District1, fx.StreetCode, "Blue", requestId: "same-request");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var id = await IdOf(first);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.District1, fx.StreetCode, id)).StatusCode);
    }

    [Fact]
    public async Task TheEffectiveLevelInheritsFromAncestorsAndLiftingRestoresTheLowerOne()
    {
        var d3 = fx.Demo.City.Tree.Find("310103")!;
        var grid = d3.Children[0].Children[0].Children[0].Code;
        var red = await IdOf(await Issue(fx.City, "310103", "Red"));
        Assert.Equal("Red", await LevelOf(fx.City, grid));
        // A district user reads warnings issued above it (they apply to it), not a peer district's.
        Assert.Equal("Red", await LevelOf(fx.City, "310103"));
        Assert.Equal(HttpStatusCode.OK, (await fx.District1.GetAsync("/api/regions/310100/warning-level", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fx.District1.GetAsync("/api/regions/310103/warning-level", Ct)).StatusCode);

        var yellow = await IdOf(await Issue(fx.Admin, d3.Children[0].Code, "Yellow"));
        Assert.Equal("Red", await LevelOf(fx.City, grid));
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.City, "310103", red)).StatusCode);
        Assert.Equal("Yellow", await LevelOf(fx.City, grid));
        Assert.Null(await LevelOf(fx.City, "310103"));
        Assert.Equal(HttpStatusCode.OK, (await Lift(fx.Admin, d3.Children[0].Code, yellow)).StatusCode);
        Assert.Null(await LevelOf(fx.City, grid));
    }
}
