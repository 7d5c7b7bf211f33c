using GridGov.Realtime.Silo.Api;
using GridGov.Realtime.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
var silo = builder.AddSiloOptions();
builder.AddActors(silo);
builder.AddOperations();

var app = builder.Build();
app.UseExceptionHandler();
app.MapOperationsApi();
app.Run();

/// <summary>The all-in-one host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
