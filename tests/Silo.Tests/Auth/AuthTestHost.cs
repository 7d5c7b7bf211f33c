using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Silo.Tests.Auth;

/// <summary>
/// A minimal in-process host: AddGridGovAuth + MapAuthApi + a few dummy endpoints, on the test
/// server, with a fake clock and a temporary data directory.
/// </summary>
internal sealed class AuthTestHost : IAsyncDisposable
{
    public const string AdminPassword = "initial-admin-pass-1";
    public const string UserPassword = "correct-horse-battery";

    private readonly bool _ownsDirectory;

    private AuthTestHost(WebApplication app, FakeTimeProvider time, string dataDirectory, bool ownsDirectory)
    {
        App = app;
        Time = time;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }
    public FakeTimeProvider Time { get; }
    public string DataDirectory { get; }
    public HttpClient Client { get; }

    public static WebApplication Build(string dataDirectory, FakeTimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["Auth:DataDirectory"] = dataDirectory,
            ["Auth:UserStore"] = "InMemory",
            ["Auth:InitialAdminPassword"] = AdminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton<TimeProvider>(time);
        // Cheap hashing keeps the suite fast; production uses the Identity default.
        builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        builder.Services.AddGridGovAuth(builder.Configuration);

        var app = builder.Build();
        app.MapAuthApi();
        app.MapGet("/healthz", () => "ok").AllowAnonymous();
        app.MapGet("/protected", () => "secret");
        app.MapGet("/me", (HttpContext http) => Results.Json(new
        {
            name = http.User.GetUserName(),
            role = http.User.GetRole(),
            scope = http.User.GetRegionScope().Code,
        }));
        app.MapGet("/hubs/echo", () => "hub");
        app.MapGet("/api/other", () => "other");
        app.MapGet("/staff", () => "staff").RequireAuthorization(Policies.CommandStaff);
        app.MapGet("/regions/{regionCode}", (string regionCode) => regionCode).RequireAuthorization(Policies.RegionAccess);
        app.MapGet("/zones/{zone}", (string zone) => zone).RequireRegionAccess("zone");
        return app;
    }

    public static async Task<AuthTestHost> StartAsync(IDictionary<string, string?>? settings = null, string? dataDirectory = null, FakeTimeProvider? time = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("gridgov-auth-").FullName;
        time ??= new FakeTimeProvider();
        var app = Build(dataDirectory, time, settings);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new AuthTestHost(app, time, dataDirectory, owns);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public Task<HttpResponseMessage> RequestTokenAsync(string username, string password) =>
        Client.PostAsJsonAsync("/api/auth/token", new { username, password }, TestContext.Current.CancellationToken);

    public async Task<string> GetTokenAsync(string username = "admin", string password = AdminPassword)
    {
        using var response = await RequestTokenAsync(username, password);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<string> CreateUserAndGetTokenAsync(string username, string role, string scope)
    {
        var result = await Get<UserAccountService>().CreateAsync(username, UserPassword, role, scope, TestContext.Current.CancellationToken);
        Assert.Equal(UserChangeStatus.Ok, result.Status);
        return await GetTokenAsync(username, UserPassword);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string? token, string json)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory) Directory.Delete(DataDirectory, recursive: true);
    }
}
