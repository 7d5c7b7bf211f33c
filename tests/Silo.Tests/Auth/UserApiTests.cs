using System.Net;
using System.Text.Json;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class UserApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_creates_lists_and_updates_users()
    {
        await using var host = await AuthTestHost.StartAsync();
        var admin = await host.GetTokenAsync();

        using (var created = await host.SendJsonAsync(HttpMethod.Post, "/api/users", admin,
                   """{"username":"Worker.One","password":"long-enough-pass","role":"grid_worker","region_scope":"310104001"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/api/users/worker.one", created.Headers.Location?.ToString());
            using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
            Assert.Equal("worker.one", body.RootElement.GetProperty("username").GetString());
            Assert.False(body.RootElement.TryGetProperty("password_hash", out _));
        }

        using (var list = await host.GetAsync("/api/users", admin))
        {
            using var body = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Ct));
            Assert.Equal(["admin", "worker.one"], body.RootElement.EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        }

        using (var updated = await host.SendJsonAsync(HttpMethod.Put, "/api/users/WORKER.ONE", admin,
                   """{"role":"command_staff","region_scope":"310104","password":"another-long-pass"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
            using var body = JsonDocument.Parse(await updated.Content.ReadAsStringAsync(Ct));
            Assert.Equal("command_staff", body.RootElement.GetProperty("role").GetString());
            Assert.Equal("310104", body.RootElement.GetProperty("region_scope").GetString());
        }
        Assert.NotEmpty(await host.GetTokenAsync("worker.one", "another-long-pass"));

        using (var disabled = await host.SendJsonAsync(HttpMethod.Put, "/api/users/worker.one", admin, """{"disabled":true}"""))
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        using (var login = await host.RequestTokenAsync("worker.one", "another-long-pass"))
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Theory]
    [InlineData("""{"username":"ab","password":"long-enough-pass","role":"grid_worker","region_scope":"3101"}""", "username")]
    [InlineData("""{"username":"bad name","password":"long-enough-pass","role":"grid_worker","region_scope":"3101"}""", "username")]
    [InlineData("""{"username":"worker2","password":"short","role":"grid_worker","region_scope":"3101"}""", "password")]
    [InlineData("""{"username":"worker2","password":"long-enough-pass","role":"root","region_scope":"3101"}""", "role")]
    [InlineData("""{"username":"worker2","password":"long-enough-pass","role":"grid_worker","region_scope":"31-01"}""", "region_scope")]
    [InlineData("""{"username":"worker2","password":"long-enough-pass","role":"grid_worker","region_scope":""}""", "region_scope")]
    [InlineData("""{"username":"worker2","password":"long-enough-pass","role":"grid_worker"}""", "region_scope")]
    public async Task Invalid_new_users_get_400_naming_the_field(string json, string field)
    {
        await using var host = await AuthTestHost.StartAsync();
        using var response = await host.SendJsonAsync(HttpMethod.Post, "/api/users", await host.GetTokenAsync(), json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Single(await host.Get<IUserDirectory>().ListAsync(Ct));
    }

    [Fact]
    public async Task Conflicts_missing_users_and_malformed_updates_are_reported()
    {
        await using var host = await AuthTestHost.StartAsync();
        var admin = await host.GetTokenAsync();

        using (var duplicate = await host.SendJsonAsync(HttpMethod.Post, "/api/users", admin,
                   """{"username":"ADMIN","password":"long-enough-pass","role":"admin","region_scope":""}"""))
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using (var missing = await host.SendJsonAsync(HttpMethod.Put, "/api/users/ghost", admin, """{"disabled":true}"""))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var empty = await host.SendJsonAsync(HttpMethod.Put, "/api/users/admin", admin, "{}"))
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using (var typo = await host.SendJsonAsync(HttpMethod.Put, "/api/users/admin", admin, """{"regionScope":"3101"}"""))
            Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        using (var lastAdmin = await host.SendJsonAsync(HttpMethod.Put, "/api/users/admin", admin, """{"disabled":true}"""))
            Assert.Equal(HttpStatusCode.Conflict, lastAdmin.StatusCode);
        using (var demote = await host.SendJsonAsync(HttpMethod.Put, "/api/users/admin", admin, """{"role":"command_staff","region_scope":"3101"}"""))
            Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.False((await host.Get<IUserDirectory>().FindAsync("admin", Ct))!.Disabled);
    }

    [Fact]
    public async Task Non_admins_cannot_use_the_user_api()
    {
        await using var host = await AuthTestHost.StartAsync();
        var staff = await host.CreateUserAndGetTokenAsync("staff1", Roles.CommandStaff, "3101");
        using (var list = await host.GetAsync("/api/users", staff)) Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using (var create = await host.SendJsonAsync(HttpMethod.Post, "/api/users", staff,
                   """{"username":"x123","password":"long-enough-pass","role":"admin","region_scope":""}"""))
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using (var anonymous = await host.GetAsync("/api/users", null)) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("""{"regionScope":"3101"}""", "unknown field")]
    [InlineData("""{"disabled":"yes"}""", "wrong value type")]
    [InlineData("""{"disabled":true,"disabled":false}""", "duplicate field")]
    [InlineData("""{"disabled":""", "invalid JSON")]
    public async Task Malformed_json_gets_a_message_saying_what_is_wrong(string json, string expected)
    {
        await using var host = await AuthTestHost.StartAsync();
        using var response = await host.SendJsonAsync(HttpMethod.Put, "/api/users/admin", await host.GetTokenAsync(), json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var detail = body.RootElement.GetProperty("detail").GetString();
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("GridGov", detail, StringComparison.Ordinal);
    }
}
