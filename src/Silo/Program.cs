using GridGov.Realtime.Edge;
using GridGov.Realtime.Silo.Api;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
var silo = builder.AddSiloOptions();
builder.AddActors(silo);
builder.AddAuth(silo);
builder.AddEdge();
builder.AddOperations();

var app = builder.Build();
app.UseExceptionHandler();
app.UseAuthentication();
app.UseAuthorization();
app.MapOperationsApi();
app.MapAuthApi();
app.MapMqttWebSockets();
app.Run();

/// <summary>The all-in-one host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
