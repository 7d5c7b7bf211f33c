using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GridGov.Realtime.Silo.Tests;

/// <summary>
/// The real host (Program) on a fresh data directory, with a known admin password. Pass
/// <c>dataDirectory</c> to start on an existing one (a restart); the caller then owns and deletes it.
/// </summary>
public sealed class SiloFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-staple";
    private readonly TempDirectory? _owned;
    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Extra registrations after the host's own (test observers, fakes).</param>
    public SiloFactory(Dictionary<string, string?>? settings = null, string? dataDirectory = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? [];
        _services = services;
        if (dataDirectory is null) _owned = new TempDirectory();
        DataDirectory = dataDirectory ?? _owned!.Path;
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Silo:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:InitialAdminPassword", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureServices(_services);
    }

    public async Task<HttpClient> CreateAdminClientAsync()
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenReply>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.access_token);
        return client;
    }

    /// <summary>Creates a user through the admin API and returns a client carrying that user's token.</summary>
    public async Task<HttpClient> CreateUserClientAsync(string username, string role, string regionScope)
    {
        using var admin = await CreateAdminClientAsync();
        const string password = "a-long-enough-password";
        var created = await admin.PostAsJsonAsync("/api/users", new { username, password, role, region_scope = regionScope });
        created.EnsureSuccessStatusCode();
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenReply>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.access_token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _owned?.Dispose();
    }

    private sealed record TokenReply(string access_token);
}
