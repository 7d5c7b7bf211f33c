namespace GridGov.Realtime.Silo.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Token issued to {UserName} (role {Role})")]
    public static partial void TokenIssued(this ILogger logger, string userName, string role);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Login failed for {UserName} from {ClientIp}: {Outcome}")]
    public static partial void LoginFailed(this ILogger logger, string userName, string? clientIp, LoginOutcome outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Login for {UserName} from {ClientIp} refused: too many failures, retry in {RetryAfter}")]
    public static partial void LoginThrottled(this ILogger logger, string userName, string? clientIp, TimeSpan retryAfter);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Bearer token rejected on {Path}: {Reason}")]
    public static partial void TokenRejected(this ILogger logger, PathString path, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "JWT signing key taken from configuration")]
    public static partial void SigningKeyFromConfiguration(this ILogger logger);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Generated a new JWT signing key at {Path}")]
    public static partial void SigningKeyGenerated(this ILogger logger, string path);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Secret file {Path} was readable by others; permissions set to 0600")]
    public static partial void SecretFileTightened(this ILogger logger, string path);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Created initial admin user '{UserName}' with the configured Auth:InitialAdminPassword")]
    public static partial void AdminCreatedFromConfiguration(this ILogger logger, string userName);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Created initial admin user '{UserName}'; its generated password is in {Path} (owner-only). Change it and delete the file.")]
    public static partial void AdminCreatedWithGeneratedPassword(this ILogger logger, string userName, string path);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "User {UserName} {Action} by {Actor}")]
    public static partial void UserChanged(this ILogger logger, string userName, string action, string? actor);
}
