using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Creates the first admin ("admin", whole-system scope) when no admin exists. The password is
/// <c>Auth:InitialAdminPassword</c>, or one generated into <c>{DataDirectory}/initial-admin-password</c>
/// (mode 0600; reused if a previous start wrote it but did not finish). The password is never logged.
/// </summary>
internal sealed class AdminBootstrapper(
    IUserDirectory directory,
    UserAccountService accounts,
    IOptions<AuthOptions> options,
    ILogger<AdminBootstrapper> logger)
{
    public const string AdminUserName = "admin";
    public const string PasswordFileName = "initial-admin-password";

    public static string PasswordPath(string dataDirectory) => Path.Combine(dataDirectory, PasswordFileName);

    /// <summary>True when it created the admin; false when an admin already existed.</summary>
    public async Task<bool> EnsureAdminAsync(CancellationToken cancellationToken)
    {
        if ((await directory.ListAsync(cancellationToken)).Any(u => u.Role == Roles.Admin)) return false;

        var settings = options.Value;
        string password;
        string? passwordFile = null;
        if (settings.InitialAdminPassword is not null)
        {
            password = settings.InitialAdminPassword;
        }
        else
        {
            passwordFile = PasswordPath(settings.DataDirectory
                ?? throw new InvalidOperationException("No admin exists and neither Auth:InitialAdminPassword nor Auth:DataDirectory is set."));
            password = ReadOrCreatePasswordFile(passwordFile);
        }

        var result = await accounts.CreateAsync(AdminUserName, password, Roles.Admin, "", cancellationToken);
        switch (result.Status)
        {
            case UserChangeStatus.Ok:
                if (passwordFile is null) logger.AdminCreatedFromConfiguration(AdminUserName);
                else logger.AdminCreatedWithGeneratedPassword(AdminUserName, passwordFile);
                return true;
            case UserChangeStatus.Conflict:
                throw new InvalidOperationException(
                    $"No admin exists, but a non-admin user named '{AdminUserName}' does; give a user the admin role in the users table.");
            default:
                throw new InvalidOperationException(
                    $"Could not create the initial admin: {string.Join(" ", result.Errors.SelectMany(e => e.Value))}");
        }
    }

    private string ReadOrCreatePasswordFile(string path)
    {
        if (!File.Exists(path)) OwnerOnlyFile.TryCreate(path, GeneratePassword());
        if (OwnerOnlyFile.Tighten(path)) logger.SecretFileTightened(path);
        var password = File.ReadAllText(path).Trim();
        return UserInputValidation.ValidatePassword(password) is { } error
            ? throw new InvalidOperationException($"The initial admin password file '{path}' is unusable ({error}); delete it to generate a new one.")
            : password;
    }

    // 24 random bytes → 32 base64url characters (192 bits).
    private static string GeneratePassword() => Base64UrlCodec.Encode(RandomNumberGenerator.GetBytes(24));
}
