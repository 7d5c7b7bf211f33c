using System.Security.Claims;
using System.Text.Json.Serialization;
using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hubs;
using GridGov.Realtime.Grains.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Dashboard.Hosting;

/// <summary>Composition of the command-centre dashboard: hub, live feed, page.</summary>
public static class DashboardExtensions
{
    public const string Tag = "Dashboard";

    /// <summary>
    /// SignalR, the command-centre hub, and <see cref="LiveFeed"/> as the <see cref="ILiveFeed"/> grains publish to
    /// (registered before any <c>TryAdd</c> fallback wins). <paramref name="canSeeRegion"/> is the host's scope rule:
    /// may this user watch this region code. Options from section <c>Dashboard</c>, validated at start. Idempotent.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration, Func<ClaimsPrincipal, string, bool> canSeeRegion)
    {
        ArgumentNullException.ThrowIfNull(canSeeRegion);
        if (services.Any(d => d.ServiceType == typeof(LiveFeed))) return services;

        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IRegionScopeAuthorizer>(new DelegateRegionScopeAuthorizer(canSeeRegion));
        services.AddSingleton<FeedSubscriptions>();
        services.AddSingleton<DashboardMetrics>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<LiveFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }

    /// <summary>
    /// Maps the hub at <see cref="CommandCentreHub.Path"/>, <c>GET /api/dashboard/config</c> (authenticated), and the
    /// page: <c>/</c> and <c>/dashboard/*</c> are served anonymously (the page is a login form until it has a token;
    /// every piece of data it shows needs the token).
    /// </summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<CommandCentreHub>(CommandCentreHub.Path);

        endpoints.MapGet("/api/dashboard/config", (IOptions<DashboardOptions> options) =>
                TypedResults.Ok(new DashboardConfig(CommandCentreHub.Path, options.Value.BaseMapUrl, (int)options.Value.PositionInterval.TotalMilliseconds)))
            .WithName("GetDashboardConfig")
            .WithSummary("Settings the dashboard page needs: hub path, base-map URL template, position interval")
            .WithTags(Tag);

        var files = new DashboardFiles();
        endpoints.MapGet("/", () => files.Serve("index.html")).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet(DashboardFiles.UrlPrefix + "/{**path}", (string path) => files.Serve(path)).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>What <c>GET /api/dashboard/config</c> returns.</summary>
public sealed record DashboardConfig(string HubPath, string BaseMapUrl, int PositionIntervalMs);
