using System.Net.Http.Headers;
using System.Net.Http.Json;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GridGov.Realtime.Silo.Tests;

/// <summary>The real host (Program) on a fresh data directory, with a known admin password.</summary>
public sealed class SiloFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-staple";
    private readonly TempDirectory _data = new();
    private readonly Dictionary<string, string?> _settings;

    public SiloFactory(Dictionary<string, string?>? settings = null) => _settings = settings ?? [];

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Silo:DataDirectory", _data.Path);
        builder.UseSetting("Auth:InitialAdminPassword", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _data.Dispose();
    }

    private sealed record TokenReply(string access_token);
}
