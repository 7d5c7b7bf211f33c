using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace GridGov.Realtime.Silo.Tests.Loop;

/// <summary>Logins and case commands over the REST API, as the people in the loop (DOMAIN.md §5) would send them.</summary>
internal static class LoopClients
{
    public const string Password = "a-long-enough-password";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates the account (admin only) and returns its bearer token.</summary>
    public static async Task<string> CreateUserAsync(HttpClient admin, string username, string role, string scope)
    {
        using var created = await admin.PostAsJsonAsync("/api/users", new { username, password = Password, role, region_scope = scope }, Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        return await TokenAsync(admin, username, Password);
    }

    public static async Task<string> TokenAsync(Uri baseAddress, string username, string password)
    {
        using var anonymous = new HttpClient { BaseAddress = baseAddress };
        return await TokenAsync(anonymous, username, password);
    }

    // Through any client of the host (the token endpoint ignores the caller's own token), in-memory test servers included.
    private static async Task<string> TokenAsync(HttpClient client, string username, string password)
    {
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username, password }, Ct);
        token.EnsureSuccessStatusCode();
        return (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    public static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POST /api/cases/{id}/commands; the reply must be 200 and the case must end in <paramref name="expected"/>.</summary>
    public static async Task<JsonElement> CommandAsync(HttpClient client, string caseId, string command, string expected, object? fields = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/commands", new { requestId = $"{command}-{caseId}", command, fields }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{command} on {caseId}: {(int)response.StatusCode} {body}");
        var view = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(expected, view.GetProperty("status").GetString());
        return view;
    }
}
