namespace GridGov.Realtime.Silo.Api;

internal static class OperationsApi
{
    /// <summary>Health (anonymous, for load balancers and systemd) and the OpenAPI document (authenticated).</summary>
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").AllowAnonymous().WithName("Health").WithTags("Operations");
        app.MapOpenApi().WithTags("Operations");
        return app;
    }
}
