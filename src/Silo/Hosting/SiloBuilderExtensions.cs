using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Dashboard.Hosting;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Silo.Edge;
using GridGov.Realtime.Grains;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Grains.Sensors;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.Grains.Warnings;
using GridGov.Realtime.Silo.Warnings;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.Silo.Responders;
using GridGov.Realtime.Silo.Intake;
using GridGov.Realtime.Grains.Intake;
using Microsoft.AspNetCore.Authorization;
using GridGov.Realtime.Silo.Tracking;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Hosting;

/// <summary>The host's composition: each call adds one concern, so Program.cs reads like a table of contents.</summary>
internal static class SiloBuilderExtensions
{
    /// <summary>Validated host options and the HTTP endpoint Kestrel listens on.</summary>
    public static SiloOptions AddSiloOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        var options = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (options.HttpPort is < 1 or > 65535) return; // the validator reports it at start-up
            if (options.HttpAddress == "*") k.ListenAnyIP(options.HttpPort);
            else k.Listen(System.Net.IPAddress.Parse(options.HttpAddress), options.HttpPort);
        });
        return options;
    }

    /// <summary>The actor runtime with the domain's grains, on the embedded SQLite store in the data directory.</summary>
    public static WebApplicationBuilder AddActors(this WebApplicationBuilder builder, SiloOptions silo)
    {
        builder.Services.AddActorRuntime()
            .AddGrainsFromAssembly(typeof(GrainsAssembly).Assembly)
            .AddJsonContext(GrainsJsonContext.Default)
            .UseSqliteStorage(builder.Configuration.GetSection(SqliteStorageOptions.SectionName), o =>
            {
                if (string.IsNullOrEmpty(builder.Configuration[$"{SqliteStorageOptions.SectionName}:DataDirectory"])) o.DataDirectory = silo.DataDirectoryFullPath;
            })
            .AddCases();
        return builder;
    }

    /// <summary>
    /// Region tree, workers and sensors: in memory for grains, saved in the SQLite file (migrations
    /// "regions" and "directory"), loaded at start-up by a hosted service registered after the runtime's.
    /// </summary>
    public static WebApplicationBuilder AddDirectories(this WebApplicationBuilder builder)
    {
        builder.Services.AddGridDirectories(useSqlite: true);
        return builder;
    }

    /// <summary>JWT bearer authentication, roles and region scopes, users in the same SQLite file as grain state.</summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder, SiloOptions silo)
    {
        builder.Services.AddSingleton(new SqliteMigration("auth", 1, "users", SqliteUserDirectory.Schema));
        builder.Services.AddOptions<AuthOptions>().PostConfigure<IOptions<SqliteStorageOptions>>((auth, storage) =>
        {
            auth.DataDirectory ??= silo.DataDirectoryFullPath;
            auth.ConnectionString ??= $"Data Source={storage.Value.DatabasePath};Pooling=True;Default Timeout=30";
        });
        builder.Services.AddGridGovAuth(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Worker tracking: worker/grid/region grains, terminal intake (the broker hook), position history in
    /// the SQLite file, options "Tracking". The live feed is the dashboard's (a logging one when it is absent).
    /// </summary>
    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddActorRuntime().AddTracking(builder.Configuration).UseSqlitePositionHistory();
        return builder;
    }

    /// <summary>
    /// Four-level early warnings (section "Warnings": who may issue which level): the warning grain, the
    /// effective-level query, and the retained MQTT message per region published through the edge broker.
    /// </summary>
    public static WebApplicationBuilder AddWarnings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IWarningPublisher, MqttWarningPublisher>();
        builder.Services.AddActorRuntime().AddWarnings(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Responder escalation (section "Escalations"): on-call rosters per region, escalations of SOS alerts and urgent
    /// cases walking the rosters up to the city on an acknowledgement timeout, sent over MQTT (QoS 1, persistent sessions
    /// keep them for offline responders) and acknowledged over MQTT or REST.
    /// </summary>
    public static WebApplicationBuilder AddResponders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IResponderNotifier, MqttResponderNotifier>();
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttUplinkHandler, ResponderAckUplinkHandler>();
        builder.Services.AddActorRuntime().AddResponders(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Sensors: the sensor grain (event rules, dedup windows, heartbeat watch), its intake (the broker hook for
    /// <c>gridgov/v1/sensors/{id}/event|heartbeat</c>) and options "Sensors", validated at start against the
    /// category catalogue. Sensor cases go through the case workflow as the system actor.
    /// </summary>
    public static WebApplicationBuilder AddSensors(this WebApplicationBuilder builder)
    {
        builder.Services.AddActorRuntime().AddSensors(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Case intake channels, all opening cases through the case grain: a grid worker's field report over MQTT
    /// (<c>gridgov/v1/terminals/{id}/report</c>), citizens' reports over REST and Open311 GeoReport v2 (policy
    /// <see cref="IntakePolicies.Reporter"/>: integration accounts, command staff, admins), and verification tasks sent to
    /// grid workers on <c>gridgov/v1/terminals/{id}/tasks</c>. Options "Intake".
    /// </summary>
    public static WebApplicationBuilder AddIntake(this WebApplicationBuilder builder)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<ICaseTaskPublisher, MqttCaseTaskPublisher>());
        builder.Services.AddActorRuntime().AddCaseIntake();
        builder.Services.AddSingleton<PublicReportIntake>();
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttUplinkHandler, FieldReportUplinkHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, Open311AuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(IntakePolicies.Reporter,
            p => p.RequireAuthenticatedUser().RequireRole(Roles.Integration, Roles.CommandStaff, Roles.Admin));
        return builder;
    }

    /// <summary>The command-centre hub, live feed and page; a user may watch what their region scope covers.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboard(builder.Configuration, static (user, regionCode) => user.CanSeeRegion(regionCode));
        return builder;
    }

    /// <summary>Per-device MQTT credentials (table "devices" in the SQLite file), provisioned by the admin API or the CLI.</summary>
    public static WebApplicationBuilder AddDevices(this WebApplicationBuilder builder)
    {
        builder.Services.AddDeviceCredentials(useSqlite: true);
        return builder;
    }

    /// <summary>
    /// The MQTT edge (section "Edge": TCP 1883, TLS 8883 when a certificate is set, WebSocket /mqtt), authenticating
    /// device credentials first and user accounts otherwise. Retained messages and persistent sessions are kept in the
    /// SQLite file (migration "edge"), so a PUBACK means durable across a restart.
    /// </summary>
    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder)
    {
        foreach (var migration in SqliteMqttStateStore.Migrations) builder.Services.AddSingleton(migration);
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Persistence.IMqttStateStore, SqliteMqttStateStore>();
        builder.Services.AddDeviceCredentials(useSqlite: true);
        builder.Services.AddSingleton<UserAccountMqttAuthenticator>();
        builder.Services.AddSingleton<IMqttAuthenticator, DeviceMqttAuthenticator>();
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttUplinkHandler, TerminalUplinkHandler>();
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttUplinkHandler, SensorUplinkHandler>();
        builder.Services.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttConnectionObserver, TerminalConnectionObserver>();
        builder.AddEdgeBroker();
        return builder;
    }

    /// <summary>Health endpoint and the OpenAPI document.</summary>
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        return builder;
    }
}
