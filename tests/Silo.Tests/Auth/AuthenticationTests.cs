using System.Net;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fallback_policy_requires_a_token_on_unannotated_endpoints()
    {
        await using var host = await AuthTestHost.StartAsync();
        using var anonymous = await host.GetAsync("/protected", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        using var health = await host.GetAsync("/healthz", null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var withToken = await host.GetAsync("/protected", await host.GetTokenAsync());
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    [Fact]
    public async Task Expired_token_gets_401_with_invalid_token_challenge()
    {
        await using var host = await AuthTestHost.StartAsync();
        var token = await host.GetTokenAsync();
        host.Time.Advance(AuthOptions.DefaultTokenLifetime + AuthOptions.DefaultClockSkew);

        using var response = await host.GetAsync("/protected", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("expired", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_tokens_get_401()
    {
        await using var host = await AuthTestHost.StartAsync();
        var key = host.Get<SigningKeyProvider>().Key;
        var now = host.Time.GetUtcNow();
        var algNone = $"{TestTokens.B64("""{"alg":"none"}""")}.{TestTokens.B64(TestTokens.Payload(now))}.";
        var wrongKey = TestTokens.Sign(new byte[32], TestTokens.Header, TestTokens.Payload(now));
        var notYet = TestTokens.Sign(key, TestTokens.Header, TestTokens.Payload(now, notBefore: TimeSpan.FromHours(1), expiresIn: TimeSpan.FromHours(2)));
        var wrongAudience = TestTokens.Sign(key, TestTokens.Header, TestTokens.Payload(now, aud: "\"elsewhere\""));

        foreach (var token in new[] { algNone, wrongKey, notYet, wrongAudience, "garbage" })
        {
            using var response = await host.GetAsync("/protected", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var good = await host.GetAsync("/protected", TestTokens.Sign(key, TestTokens.Header, TestTokens.Payload(now)));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task Query_string_token_is_accepted_only_on_hub_paths()
    {
        await using var host = await AuthTestHost.StartAsync();
        var token = Uri.EscapeDataString(await host.GetTokenAsync());

        using var hub = await host.GetAsync($"/hubs/echo?access_token={token}", null);
        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);

        using var other = await host.GetAsync($"/api/other?access_token={token}", null);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);

        using var hubWithoutToken = await host.GetAsync("/hubs/echo", null);
        Assert.Equal(HttpStatusCode.Unauthorized, hubWithoutToken.StatusCode);
    }

    [Fact]
    public async Task Token_stops_working_when_the_user_is_disabled_or_rescoped()
    {
        await using var host = await AuthTestHost.StartAsync();
        var accounts = host.Get<UserAccountService>();
        var token = await host.CreateUserAndGetTokenAsync("worker1", Roles.GridWorker, "310104001");
        using (var ok = await host.GetAsync("/protected", token)) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        await accounts.UpdateAsync("worker1", new UserChanges(RegionScope: "310104002"), Ct);
        using (var rescoped = await host.GetAsync("/protected", token)) Assert.Equal(HttpStatusCode.Unauthorized, rescoped.StatusCode);

        token = await host.GetTokenAsync("worker1", AuthTestHost.UserPassword);
        await accounts.UpdateAsync("worker1", new UserChanges(Disabled: true), Ct);
        using (var disabled = await host.GetAsync("/protected", token)) Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
    }
}
