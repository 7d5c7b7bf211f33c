using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>GeoReport v2 errors: the HTTP status and a body <c>[{code, description}]</c>.</summary>
internal static class Open311Errors
{
    public static IResult Of(int status, string description) =>
        Results.Json(new[] { new Open311Error(status, description) }, Open311Api.Json, statusCode: status);

    public static Task WriteAsync(HttpContext http, int status, string description)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new[] { new Open311Error(status, description) }, Open311Api.Json);
    }
}

/// <summary>
/// Authentication and authorization failures under <c>/open311</c> in the GeoReport error format (401 with the bearer
/// challenge, 403), so Open311 clients can read them; every other path keeps the default behaviour.
/// </summary>
internal sealed class Open311AuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !context.Request.Path.StartsWithSegments(Open311Api.Prefix))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            await Open311Errors.WriteAsync(context, StatusCodes.Status401Unauthorized, "A bearer token (an integration account's API key) is required.");
            return;
        }
        await context.ForbidAsync();
        await Open311Errors.WriteAsync(context, StatusCodes.Status403Forbidden, "This account may not use the Open311 API (integration, command staff or admin only).");
    }
}
