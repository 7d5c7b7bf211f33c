using GridGov.Realtime.Dashboard.Hosting;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Silo.Api;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Cases;
using GridGov.Realtime.Silo.Demo;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.Silo.Intake;
using GridGov.Realtime.Silo.Regions;
using GridGov.Realtime.Silo.Responders;
using GridGov.Realtime.Silo.Tracking;
using GridGov.Realtime.Silo.Warnings;

namespace GridGov.Realtime.Silo.Hosting;

/// <summary>The all-in-one server's composition: every module's services, then every module's routes, in one place.</summary>
internal static class GridGovComposition
{
    /// <summary>Runtime and storage first (modules register grains and migrations on them), then the modules.</summary>
    public static WebApplicationBuilder AddGridGov(this WebApplicationBuilder builder, string[] args)
    {
        var silo = builder.AddSiloOptions();
        builder.AddActors(silo);
        builder.AddAuth(silo);
        builder.AddDirectories();
        builder.AddTracking();
        builder.AddDevices();
        builder.AddSensors();
        builder.AddIntake();
        builder.AddEdge();
        builder.AddWarnings();
        builder.AddResponders();
        builder.AddOperations();
        builder.AddTelemetry();
        builder.AddDashboard();
        builder.AddDemo(args);
        return builder;
    }

    /// <summary>Middleware (every route needs a token unless it says otherwise), then each module's API.</summary>
    public static WebApplication MapGridGov(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOperationsApi();
        app.MapAuthApi();
        app.MapCasesApi();
        app.MapCitizenReportsApi();
        app.MapOpen311Api();
        app.MapStatisticsApi();
        app.MapRegionsApi();
        app.MapWorkersApi();
        app.MapTrackingApi();
        app.MapWarningsApi();
        app.MapRespondersApi();
        app.MapDevicesApi();
        app.MapDashboard();
        app.MapMqttWebSockets();
        return app;
    }
}
