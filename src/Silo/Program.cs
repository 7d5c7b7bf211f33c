using GridGov.Realtime.Dashboard.Hosting;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Silo.Api;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Cases;
using GridGov.Realtime.Silo.Cli;
using GridGov.Realtime.Silo.Demo;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.Silo.Intake;
using GridGov.Realtime.Silo.Hosting;
using GridGov.Realtime.Silo.Regions;
using GridGov.Realtime.Silo.Responders;
using GridGov.Realtime.Silo.Tracking;
using GridGov.Realtime.Silo.Warnings;

if (await CliCommands.TryRunAsync(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(DemoExtensions.WithoutDemoSwitch(args));
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

var app = builder.Build();
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
app.Run();
return 0;

/// <summary>The all-in-one host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
