using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests;

public sealed partial class HostTests
{
    // The dashboard page and its files are a login form until it has a token; everything they show needs it.
    // The page shell and its files carry no data; /mqtt is the MQTT-over-WebSocket endpoint, whose
    // connections authenticate in the MQTT CONNECT (user name and password), refused there without them.
    private static readonly string[] AnonymousRoutes = ["/", "/api/auth/token", "/dashboard/{**path}", "/healthz", "/mqtt"];

    [Fact]
    public async Task HealthAnswersWithoutAToken()
    {
        using var factory = new SiloFactory();
        var response = await factory.CreateClient().GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EveryRouteButHealthAndTokenIssueRequiresAToken()
    {
        using var factory = new SiloFactory();
        var client = factory.CreateClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Order().ToArray();
        Assert.Equal(AnonymousRoutes, anonymous);

        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "x");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a token");
            }
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheApiForAnAuthenticatedUser()
    {
        using var factory = new SiloFactory();
        var client = await factory.CreateAdminClientAsync();
        var doc = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Contains("/api/auth/token", doc, StringComparison.Ordinal);
        Assert.Contains("/api/users", doc, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidPortStopsStartUpWithAClearMessage()
    {
        using var factory = new SiloFactory(new() { ["Silo:HttpPort"] = "70000" });
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Silo:HttpPort must be between 1 and 65535", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDatabaseLivesInTheDataDirectoryWithVersionedMigrations()
    {
        using var factory = new SiloFactory();
        _ = await factory.CreateAdminClientAsync();
        var db = Path.Combine(factory.DataDirectory, "gridgov.db");
        Assert.True(File.Exists(db));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT module || ' v' || version FROM schema_migrations ORDER BY module, version";
        using var reader = cmd.ExecuteReader();
        var applied = new List<string>();
        while (reader.Read()) applied.Add(reader.GetString(0));
        Assert.Equal(["actors v1", "auth v1", "cases v1", "cases_read v1", "devices v1", "directory v1", "edge v1", "edge v2", "regions v1", "tracking v1"], applied);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
