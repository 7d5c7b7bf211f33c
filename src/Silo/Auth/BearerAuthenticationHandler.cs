using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// The "Bearer" scheme: reads <c>Authorization: Bearer &lt;jwt&gt;</c>, or for WebSocket/SignalR/MQTT
/// paths (<c>/hubs</c>, <c>/mqtt</c>) the <c>access_token</c> query parameter, since browsers cannot set
/// headers there. Failures challenge with <c>WWW-Authenticate: Bearer error="invalid_token"</c>.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    JwtValidator validator,
    IUserDirectory users,
    IOptions<AuthOptions> authOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";
    public const string QueryParameter = "access_token";
    private const string BearerPrefix = "Bearer ";

    /// <summary>Paths where a query-string token is accepted.</summary>
    public static IReadOnlyList<PathString> QueryTokenPaths { get; } = [new("/hubs"), new("/mqtt")];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null) return AuthenticateResult.NoResult();

        var result = validator.Validate(token);
        if (result.Claims is not { } claims)
        {
            Logger.TokenRejected(Request.Path, result.Error!);
            return AuthenticateResult.Fail(result.Error!);
        }

        if (authOptions.Value.RecheckUserOnEachRequest)
        {
            var user = await users.FindAsync(claims.UserName, Context.RequestAborted);
            if (user is null || user.Disabled || user.Role != claims.Role || user.RegionScope != claims.RegionScope)
            {
                const string changed = "The user is disabled or has changed since the token was issued";
                Logger.TokenRejected(Request.Path, changed);
                return AuthenticateResult.Fail(changed);
            }
        }

        var ticket = new AuthenticationTicket(claims.ToPrincipal(Scheme.Name), Scheme.Name);
        ticket.Properties.ExpiresUtc = claims.ExpiresAt;
        return AuthenticateResult.Success(ticket);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3.1: no error code when the request carried no token at all.
        Response.Headers.Append(HeaderNames.WWWAuthenticate, result.Failure is { } failure
            ? $"Bearer error=\"invalid_token\", error_description=\"{HeaderSafe(failure.Message)}\""
            : "Bearer");
    }

    /// <summary>Keeps only the characters RFC 6750 §3 allows in error_description (no quote or backslash).</summary>
    private static string HeaderSafe(string message)
    {
        var safe = new string([.. message.Where(c => c is >= ' ' and <= '~' and not '"' and not '\\').Take(200)]);
        return safe.Length > 0 ? safe : "The token is invalid";
    }

    private string? ReadToken()
    {
        string? authorization = Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(authorization))
        {
            return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
                ? authorization[BearerPrefix.Length..].Trim() is { Length: > 0 } t ? t : null
                : null;
        }

        if (QueryTokenPaths.Any(p => Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            string? fromQuery = Request.Query[QueryParameter];
            return string.IsNullOrEmpty(fromQuery) ? null : fromQuery;
        }
        return null;
    }
}
