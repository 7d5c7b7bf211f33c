using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Registers GridGov authentication and authorization.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Adds the "Bearer" JWT scheme (default), the named <see cref="Policies"/>, a fallback policy that
    /// requires an authenticated user on every endpoint not marked <c>AllowAnonymous</c>, the user store
    /// chosen by <c>Auth:UserStore</c>, and a start-up service that creates the users table, the signing
    /// key and the first admin. Options come from section <c>Auth</c> and are validated at start.
    /// Safe to call more than once. A <see cref="TimeProvider"/> or <see cref="IUserDirectory"/> registered
    /// before this call is used instead of the defaults.
    /// </summary>
    public static IServiceCollection AddGridGovAuth(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(AuthRegistrationMarker))) return services;
        services.AddSingleton<AuthRegistrationMarker>();

        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.TryAddSingleton<IUserDirectory>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            return options.UserStore == UserStoreKind.InMemory
                ? new InMemoryUserDirectory()
                : new SqliteUserDirectory(options.ConnectionString!);
        });
        services.TryAddSingleton<UserAccountService>();
        services.TryAddSingleton<SigningKeyProvider>();
        services.TryAddSingleton<JwtIssuer>();
        services.TryAddSingleton<JwtValidator>();
        services.TryAddSingleton<LoginAttemptLimiter>();
        services.TryAddSingleton<AdminBootstrapper>();
        services.AddHostedService<AuthStartupService>();

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, RegionAccessHandler>());
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.RegionAccess, p => p.RequireAuthenticatedUser().AddRequirements(new RegionAccessRequirement()));
        foreach (var (policy, role) in Policies.RolePolicies)
        {
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(role == Roles.Admin ? [Roles.Admin] : [role, Roles.Admin]));
        }
        return services;
    }

    private sealed class AuthRegistrationMarker;
}
