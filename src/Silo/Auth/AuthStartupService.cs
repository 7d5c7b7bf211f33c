namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// At host start: creates the users table, loads (or generates) the signing key and bootstraps the
/// first admin, so a misconfiguration stops the host instead of failing the first login.
/// </summary>
internal sealed class AuthStartupService(IUserDirectory directory, SigningKeyProvider signingKey, AdminBootstrapper bootstrapper) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.EnsureSchemaAsync(cancellationToken);
        _ = signingKey.Key;
        await bootstrapper.EnsureAdminAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
