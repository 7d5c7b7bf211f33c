using System.Net;
using GridGov.Realtime.Silo.Auth;
using Microsoft.AspNetCore.Authorization;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class AuthorizationTests
{
    [Theory]
    [InlineData(Roles.GridWorker, "310104001", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Responder, "310104", HttpStatusCode.Forbidden)]
    [InlineData(Roles.CommandStaff, "310104", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "", HttpStatusCode.OK)]
    public async Task Role_policy_admits_the_role_and_admins(string role, string scope, HttpStatusCode expected)
    {
        await using var host = await AuthTestHost.StartAsync();
        var token = await host.CreateUserAndGetTokenAsync("someone", role, scope);
        using var response = await host.GetAsync("/staff", token);
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("310104", "/regions/310104", HttpStatusCode.OK)]
    [InlineData("310104", "/regions/310104001", HttpStatusCode.OK)]
    [InlineData("310104", "/regions/310105001", HttpStatusCode.Forbidden)]
    [InlineData("310104", "/regions/3101", HttpStatusCode.Forbidden)]
    [InlineData("310104", "/regions/31010x", HttpStatusCode.Forbidden)]
    [InlineData("310104", "/zones/310104009", HttpStatusCode.OK)]
    [InlineData("310104", "/zones/320000", HttpStatusCode.Forbidden)]
    public async Task Region_policy_checks_scope_against_route_value(string scope, string path, HttpStatusCode expected)
    {
        await using var host = await AuthTestHost.StartAsync();
        var token = await host.CreateUserAndGetTokenAsync("staff1", Roles.CommandStaff, scope);
        using var response = await host.GetAsync(path, token);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Admin_with_whole_system_scope_sees_every_region()
    {
        await using var host = await AuthTestHost.StartAsync();
        using var response = await host.GetAsync("/regions/440305", await host.GetTokenAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Imperative_region_check_uses_the_same_rule()
    {
        await using var host = await AuthTestHost.StartAsync();
        var principal = new TokenClaims("staff1", Roles.CommandStaff, RegionScope.Parse("3101"), default).ToPrincipal("Bearer");
        var authorization = host.Get<IAuthorizationService>();
        Assert.True(await authorization.AuthorizeRegionAsync(principal, "310104"));
        Assert.False(await authorization.AuthorizeRegionAsync(principal, "3102"));
        Assert.True(principal.HasRoleOrAdmin(Roles.CommandStaff));
        Assert.False(principal.HasRoleOrAdmin(Roles.Responder));
    }
}
