using GridGov.Realtime.Silo.Cli;
using GridGov.Realtime.Silo.Demo;
using GridGov.Realtime.Silo.Hosting;

// CLI commands (import, devices) run and exit; otherwise the server: every module, then every route.
if (await CliCommands.TryRunAsync(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(DemoExtensions.WithoutDemoSwitch(args));
builder.AddGridGov(args);

var app = builder.Build();
app.MapGridGov();
app.Run();
return 0;

/// <summary>The all-in-one host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
