using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary><c>POST /api/auth/token</c>: username + password → bearer token.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> IssueAsync(
        HttpContext http,
        UserAccountService accounts,
        JwtIssuer issuer,
        LoginAttemptLimiter limiter,
        IOptions<AuthOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<TokenRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request!.UserName)) errors["username"] = ["Username is required."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Password is required."];
        else if (request.Password.Length > UserInputValidation.MaxPasswordLength)
            errors["password"] = [$"Password must be at most {UserInputValidation.MaxPasswordLength} characters long."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Malformed request");

        var logger = loggers.CreateLogger(typeof(TokenEndpoint).FullName!);
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var userName = request.UserName!;
        if (limiter.IsBlocked(userName, clientIp, out var retryAfter))
        {
            logger.LoginThrottled(userName, clientIp, retryAfter);
            http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins",
                detail: "Too many failed logins for this user from this address; try again later.");
        }

        var (outcome, account) = await accounts.VerifyAsync(userName, request.Password!, cancellationToken);
        if (account is null)
        {
            limiter.RecordFailure(userName, clientIp);
            logger.LoginFailed(userName, clientIp, outcome);
            // Same answer for unknown user, wrong password and disabled user.
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid credentials",
                detail: "The username or password is wrong, or the account is disabled.");
        }

        limiter.Reset(userName, clientIp);
        var (token, expiresAt) = issuer.Issue(account);
        logger.TokenIssued(account.UserName, account.Role);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(new TokenResponse(
            token,
            BearerAuthenticationHandler.SchemeName,
            (long)options.Value.TokenLifetime.TotalSeconds,
            account.Role,
            account.RegionScope.Code ?? ""));
    }
}
