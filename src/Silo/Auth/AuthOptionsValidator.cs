using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Fails start-up with one message per problem in the <c>Auth</c> section.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        const string s = AuthOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.Issuer)) errors.Add($"{s}:Issuer must not be empty.");
        if (string.IsNullOrWhiteSpace(options.Audience)) errors.Add($"{s}:Audience must not be empty.");
        if (options.TokenLifetime < AuthOptions.MinTokenLifetime || options.TokenLifetime > AuthOptions.MaxTokenLifetime)
            errors.Add($"{s}:TokenLifetime must be between {AuthOptions.MinTokenLifetime} and {AuthOptions.MaxTokenLifetime}; got {options.TokenLifetime}.");
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AuthOptions.MaxClockSkew)
            errors.Add($"{s}:ClockSkew must be between 00:00:00 and {AuthOptions.MaxClockSkew}; got {options.ClockSkew}.");
        if (options.MaxFailedLogins < 1) errors.Add($"{s}:MaxFailedLogins must be at least 1; got {options.MaxFailedLogins}.");
        if (options.FailedLoginWindow <= TimeSpan.Zero) errors.Add($"{s}:FailedLoginWindow must be positive; got {options.FailedLoginWindow}.");

        if (options.SigningKey is not null && SigningKeyProvider.TryDecode(options.SigningKey) is null)
            errors.Add($"{s}:SigningKey must be base64 of at least {AuthOptions.MinSigningKeyBytes} random bytes (e.g. `openssl rand -base64 48`).");

        var hasDataDirectory = !string.IsNullOrWhiteSpace(options.DataDirectory);
        if (options.SigningKey is null && !hasDataDirectory)
            errors.Add($"{s}:SigningKey is not set, so {s}:DataDirectory is required to keep a generated key.");
        if (options.InitialAdminPassword is null && !hasDataDirectory)
            errors.Add($"{s}:InitialAdminPassword is not set, so {s}:DataDirectory is required to write a generated one.");
        if (options.InitialAdminPassword is not null && UserInputValidation.ValidatePassword(options.InitialAdminPassword) is { } pwError)
            errors.Add($"{s}:InitialAdminPassword: {pwError}");

        if (!Enum.IsDefined(options.UserStore))
            errors.Add($"{s}:UserStore must be one of {string.Join(", ", Enum.GetNames<UserStoreKind>())}.");
        if (options.UserStore == UserStoreKind.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
            errors.Add($"{s}:ConnectionString is required when {s}:UserStore is Sqlite (the host passes its storage database).");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
