using System.Net;
using System.Text.Json;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class TokenEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Valid_credentials_get_a_bearer_token_that_authenticates()
    {
        await using var host = await AuthTestHost.StartAsync();
        using var response = await host.RequestTokenAsync("Admin", AuthTestHost.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = body.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(8 * 3600, root.GetProperty("expires_in").GetInt64());
        Assert.Equal(Roles.Admin, root.GetProperty("role").GetString());
        Assert.Equal("", root.GetProperty("region_scope").GetString());

        using var me = await host.GetAsync("/me", root.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("""{"name":"admin","role":"admin","scope":""}""", await me.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_disabled_user_get_the_same_401()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.CreateUserAndGetTokenAsync("worker1", Roles.GridWorker, "310104001");
        await host.Get<UserAccountService>().UpdateAsync("worker1", new UserChanges(Disabled: true), Ct);

        var bodies = new List<string>();
        foreach (var (user, password) in new[] { ("nobody", "whatever-password"), ("admin", "wrong-password-123"), ("worker1", AuthTestHost.UserPassword) })
        {
            using var response = await host.RequestTokenAsync(user, password);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }
        Assert.Single(bodies.Distinct());
    }

    [Theory]
    [InlineData("application/json", "not json")]
    [InlineData("application/json", "")]
    [InlineData("application/json", "[]")]
    [InlineData("application/json", "null")]
    [InlineData("application/json", "{}")]
    [InlineData("application/json", """{"username":"admin"}""")]
    [InlineData("application/json", """{"username":"admin","password":""}""")]
    [InlineData("application/json", """{"username":"admin","password":"initial-admin-pass-1","extra":1}""")]
    [InlineData("application/json", """{"username":"admin","password":"x","password":"initial-admin-pass-1"}""")]
    [InlineData("text/plain", """{"username":"admin","password":"initial-admin-pass-1"}""")]
    public async Task Malformed_bodies_get_400_problem_details(string contentType, string body)
    {
        await using var host = await AuthTestHost.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        using var response = await host.Client.PostAsync("/api/auth/token", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Repeated_failures_lock_out_until_the_window_passes()
    {
        await using var host = await AuthTestHost.StartAsync();
        for (var i = 0; i < AuthOptions.DefaultMaxFailedLogins; i++)
        {
            using var failed = await host.RequestTokenAsync("admin", "wrong-password-123");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using (var blocked = await host.RequestTokenAsync("ADMIN", AuthTestHost.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal(TimeSpan.FromMinutes(5), blocked.Headers.RetryAfter?.Delta);
        }

        // Another username from the same client is not affected.
        await host.CreateUserAndGetTokenAsync("worker1", Roles.GridWorker, "310104001");

        host.Time.Advance(AuthOptions.DefaultFailedLoginWindow);
        Assert.NotEmpty(await host.GetTokenAsync());
    }

    [Fact]
    public async Task A_success_clears_earlier_failures()
    {
        await using var host = await AuthTestHost.StartAsync();
        for (var i = 0; i < AuthOptions.DefaultMaxFailedLogins - 1; i++)
            (await host.RequestTokenAsync("admin", "wrong-password-123")).Dispose();
        await host.GetTokenAsync();
        (await host.RequestTokenAsync("admin", "wrong-password-123")).Dispose();
        Assert.NotEmpty(await host.GetTokenAsync());
    }
}
