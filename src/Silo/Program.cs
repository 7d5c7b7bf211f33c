using GridGov.Realtime.Silo.Api;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Hosting;
using GridGov.Realtime.Silo.Tracking;

var builder = WebApplication.CreateBuilder(args);
var silo = builder.AddSiloOptions();
builder.AddActors(silo);
builder.AddAuth(silo);
builder.AddTracking();
builder.AddOperations();

var app = builder.Build();
app.UseExceptionHandler();
app.UseAuthentication();
app.UseAuthorization();
app.MapOperationsApi();
app.MapAuthApi();
app.MapTrackingApi();
app.Run();

/// <summary>The all-in-one host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
