namespace GridGov.Realtime.Silo.Auth;

/// <summary>Maps the authentication and user-administration HTTP API.</summary>
public static class AuthEndpointRouteBuilderExtensions
{
    public const string AuthTag = "Auth";
    public const string UsersTag = "Users";

    /// <summary>
    /// Maps <c>POST /api/auth/token</c> (anonymous) and the admin-only <c>/api/users</c> endpoints.
    /// Returns the route group of the user endpoints.
    /// </summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/auth/token", TokenEndpoint.IssueAsync)
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Exchange a username and password for a bearer token")
            .WithDescription("Body: JSON {\"username\", \"password\"}. Returns an HS256 JWT. 400 for a malformed body, "
                + "401 for wrong credentials or a disabled account, 429 after repeated failures.")
            .WithTags(AuthTag)
            // No .Accepts<TokenRequest>(): its content-type matcher would route a wrong Content-Type to a
            // 415 endpoint that the fallback policy turns into 401; the handler answers 400 instead.
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var users = endpoints.MapGroup("/api/users")
            .RequireAuthorization(Policies.Admin)
            .WithTags(UsersTag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        users.MapGet("/", UserEndpoints.ListAsync)
            .WithName("ListUsers")
            .WithSummary("List all users (admin only)")
            .Produces<List<UserView>>();

        users.MapGet("/{username}", UserEndpoints.GetAsync)
            .WithName("GetUser")
            .WithSummary("Get one user (admin only)")
            .Produces<UserView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/", UserEndpoints.CreateAsync)
            .WithName("CreateUser")
            .WithSummary("Create a user (admin only)")
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPut("/{username}", UserEndpoints.UpdateAsync)
            .WithName("UpdateUser")
            .WithSummary("Change a user's role, region scope, password or disabled flag (admin only)")
            .Accepts<UpdateUserRequest>("application/json")
            .Produces<UserView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return endpoints;
    }
}
