using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Intake;

public sealed class Open311ApiTests(IntakeSiloFixture fx) : IClassFixture<IntakeSiloFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static string D(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("description").GetString()));
        return error;
    }

    [Fact]
    public async Task Services_are_the_category_catalogue()
    {
        var services = await fx.Integration.GetFromJsonAsync<JsonElement>("/open311/v2/services.json", Ct);
        var garbage = services.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "event.0102");
        Assert.Equal(("暴露垃圾", false, "realtime", "市容环境"), (garbage.GetProperty("service_name").GetString(), garbage.GetProperty("metadata").GetBoolean(),
            garbage.GetProperty("type").GetString(), garbage.GetProperty("group").GetString()));
        Assert.Contains(services.EnumerateArray(), s => s.GetProperty("service_code").GetString() == "component.0101");
    }

    [Fact]
    public async Task A_posted_request_is_a_case_found_by_id_and_by_search_filters()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(6, login: false);
        using var posted = await fx.Integration.PostAsync("/open311/v2/requests.json", Form(
            ("service_code", "event.0102"), ("lat", D(lat)), ("long", D(lon)), ("description", "路边垃圾"),
            ("media_url", "https://media.example/311/1.jpg"), ("email", "citizen@example.org"), ("first_name", "Li")), Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var created = Assert.Single((await posted.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        var id = created.GetProperty("service_request_id").GetString()!;
        Assert.False(created.TryGetProperty("token", out _));

        var one = Assert.Single((await fx.Integration.GetFromJsonAsync<JsonElement>($"/open311/v2/requests/{id}.json", Ct)).EnumerateArray());
        Assert.Equal(("open", "event.0102", "路边垃圾", grid), (one.GetProperty("status").GetString(), one.GetProperty("service_code").GetString(),
            one.GetProperty("description").GetString(), one.GetProperty("address_id").GetString()));
        Assert.Equal("https://media.example/311/1.jpg", one.GetProperty("media_url").GetString());
        Assert.Equal(lat, one.GetProperty("lat").GetDouble(), 9);

        async Task<bool> FoundAsync(string query) =>
            (await fx.Integration.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?{query}", Ct)).EnumerateArray()
                .Any(r => r.GetProperty("service_request_id").GetString() == id);
        var soon = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        Assert.True(await FoundAsync($"service_request_id={id},C20000101000001"));
        Assert.True(await FoundAsync("service_code=event.0102&status=open"));
        Assert.True(await FoundAsync($"start_date={before}&end_date={soon}"));
        Assert.False(await FoundAsync("status=closed"));
        Assert.False(await FoundAsync("service_code=component.0101"));
        Assert.False(await FoundAsync($"start_date={soon}"));
        Assert.False((await fx.DistrictIntegration.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_request_id={id}", Ct)).EnumerateArray().Any());
    }

    [Fact]
    public async Task An_idempotency_key_makes_a_repeated_post_return_the_same_request()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(7, login: false);
        async Task<(HttpStatusCode, string)> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/open311/v2/requests.json")
            {
                Content = JsonContent.Create(new { service_code = "event.0102", lat, @long = lon, description = "垃圾" }),
            };
            request.Headers.Add("Idempotency-Key", "311-retry-1");
            using var response = await fx.Integration.SendAsync(request, Ct);
            var body = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))[0];
            return (response.StatusCode, body.GetProperty("service_request_id").GetString()!);
        }
        var (firstStatus, first) = await PostAsync();
        var (againStatus, again) = await PostAsync();
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, first), (firstStatus, againStatus, again));
        Assert.Single(await fx.CasesInAsync(grid));
    }

    [Fact]
    public async Task Errors_come_in_the_open311_format_and_change_nothing()
    {
        var (_, grid, lat, lon) = await fx.WorkerAsync(8, login: false);
        await ErrorAsync(await fx.Integration.PostAsync("/open311/v2/requests.json", Form(("lat", D(lat)), ("long", D(lon)), ("description", "x")), Ct), HttpStatusCode.BadRequest);
        var unknown = await ErrorAsync(await fx.Integration.PostAsync("/open311/v2/requests.json",
            Form(("service_code", "event.9999"), ("lat", D(lat)), ("long", D(lon)), ("description", "x")), Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("service_code", unknown.GetProperty("description").GetString(), StringComparison.Ordinal);
        await ErrorAsync(await fx.Integration.PostAsync("/open311/v2/requests.json", Form(("service_code", "event.0102"), ("address_string", "1 Main St"), ("description", "x")), Ct), HttpStatusCode.BadRequest);
        await ErrorAsync(await fx.Integration.PostAsync("/open311/v2/requests.json", Form(("service_code", "event.0102"), ("lat", "north"), ("long", D(lon))), Ct), HttpStatusCode.BadRequest);
        await ErrorAsync(await fx.DistrictIntegration.PostAsync("/open311/v2/requests.json",
            Form(("service_code", "event.0102"), ("lat", D(lat)), ("long", D(lon)), ("description", "x")), Ct), HttpStatusCode.Forbidden);
        Assert.Empty(await fx.CasesInAsync(grid));

        await ErrorAsync(await fx.Integration.GetAsync("/open311/v2/requests/C20990101000001.json", Ct), HttpStatusCode.NotFound);
        await ErrorAsync(await fx.Integration.GetAsync("/open311/v2/requests.json?status=pending", Ct), HttpStatusCode.BadRequest);
        await ErrorAsync(await fx.Integration.GetAsync("/open311/v2/requests.json?start_date=yesterday", Ct), HttpStatusCode.BadRequest);
        await ErrorAsync(await fx.Integration.GetAsync("/open311/v2/requests.json?service_code=nope", Ct), HttpStatusCode.BadRequest);

        var unauthenticated = await fx.Anonymous.GetAsync("/open311/v2/services.json", Ct);
        await ErrorAsync(unauthenticated, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", unauthenticated.Headers.WwwAuthenticate.Single().Scheme);
        await ErrorAsync(await fx.Handler.GetAsync("/open311/v2/services.json", Ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_request_outside_the_accounts_scope_is_forbidden()
    {
        var (_, _, lat, lon) = await fx.WorkerAsync(9, login: false);
        using var posted = await fx.Integration.PostAsync("/open311/v2/requests.json",
            Form(("service_code", "event.0102"), ("lat", D(lat)), ("long", D(lon)), ("description", "x")), Ct);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("service_request_id").GetString();
        await ErrorAsync(await fx.DistrictIntegration.GetAsync($"/open311/v2/requests/{id}.json", Ct), HttpStatusCode.Forbidden);
    }
}
