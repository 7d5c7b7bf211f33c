namespace GridGov.Realtime.Silo.Auth;

/// <summary>Admin-only user administration: <c>/api/users</c>.</summary>
internal static class UserEndpoints
{
    public static async Task<IResult> ListAsync(IUserDirectory directory, CancellationToken cancellationToken) =>
        Results.Json((await directory.ListAsync(cancellationToken)).Select(UserView.From).ToList());

    public static async Task<IResult> GetAsync(string username, IUserDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindAsync(username, cancellationToken) is { } user
            ? Results.Json(UserView.From(user))
            : NotFound(username);

    public static async Task<IResult> CreateAsync(HttpContext http, UserAccountService accounts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CreateUserRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        var result = await accounts.CreateAsync(request!.UserName, request.Password, request.Role, request.RegionScope, cancellationToken);
        if (result.Account is { } created)
        {
            Log(loggers, created.UserName, "created", http);
            http.Response.Headers.Location = $"/api/users/{Uri.EscapeDataString(created.UserName)}";
            return Results.Json(UserView.From(created), statusCode: StatusCodes.Status201Created);
        }
        return Failure(result, request.UserName ?? "");
    }

    public static async Task<IResult> UpdateAsync(string username, HttpContext http, UserAccountService accounts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<UpdateUserRequest>(http.Request, cancellationToken);
        if (problem is not null) return problem;
        if (request is { Role: null, RegionScope: null, Password: null, Disabled: null })
            return JsonBody.BadRequest("Give at least one of role, region_scope, password, disabled.");
        var result = await accounts.UpdateAsync(username, new UserChanges(request!.Role, request.RegionScope, request.Password, request.Disabled), cancellationToken);
        if (result.Account is { } updated)
        {
            Log(loggers, updated.UserName, "updated", http);
            return Results.Json(UserView.From(updated));
        }
        return Failure(result, username);
    }

    private static IResult Failure(UserChangeResult result, string username) => result.Status switch
    {
        UserChangeStatus.NotFound => NotFound(username),
        UserChangeStatus.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: string.Join(" ", result.Errors.SelectMany(e => e.Value))),
        _ => Results.ValidationProblem(result.Errors, title: "Invalid user"),
    };

    private static IResult NotFound(string username) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user", detail: $"There is no user named '{username}'.");

    private static void Log(ILoggerFactory loggers, string username, string action, HttpContext http)
    {
        var actor = http.User.GetUserName();
        loggers.CreateLogger(typeof(UserEndpoints).FullName!).UserChanged(username, action, actor);
    }
}
