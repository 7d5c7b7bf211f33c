using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Outcome of a user-changing operation.</summary>
internal enum UserChangeStatus { Ok, Invalid, NotFound, Conflict }

internal sealed record UserChangeResult(UserChangeStatus Status, UserAccount? Account, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public static UserChangeResult Ok(UserAccount account) => new(UserChangeStatus.Ok, account, NoErrors);

    public static UserChangeResult Invalid(Dictionary<string, string[]> errors) => new(UserChangeStatus.Invalid, null, errors);

    public static UserChangeResult NotFound() => new(UserChangeStatus.NotFound, null, NoErrors);

    public static UserChangeResult Conflict(string field, string message) =>
        new(UserChangeStatus.Conflict, null, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Fields to change on a user; null leaves a field as it is.</summary>
internal sealed record UserChanges(string? Role = null, string? RegionScope = null, string? Password = null, bool? Disabled = null);

internal enum LoginOutcome { Success, UnknownUser, WrongPassword, Disabled }

/// <summary>
/// Validates user input, hashes passwords (ASP.NET Core Identity PBKDF2) and verifies credentials on
/// top of an <see cref="IUserDirectory"/>.
/// </summary>
internal sealed class UserAccountService(IUserDirectory directory, IPasswordHasher<UserAccount> hasher, TimeProvider time)
{
    // Verified against when the user does not exist, so unknown users cost the same hashing work.
    private readonly Lazy<(UserAccount User, string Hash)> _decoy = new(() =>
    {
        var user = new UserAccount("decoy", "", Roles.Responder, RegionScope.None, true, default, default);
        return (user, hasher.HashPassword(user, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    });

    public async Task<UserChangeResult> CreateAsync(string? userName, string? password, string? role, string? regionScope, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "username", UserInputValidation.ValidateUserName(userName));
        AddError(errors, "password", UserInputValidation.ValidatePassword(password));
        AddError(errors, "role", UserInputValidation.ValidateRole(role));
        AddError(errors, "region_scope", UserInputValidation.ValidateRegionScope(regionScope, role));
        if (errors.Count > 0) return UserChangeResult.Invalid(errors);

        var now = time.GetUtcNow();
        var draft = new UserAccount(UserInputValidation.Normalize(userName!), "", role!, RegionScope.Parse(regionScope!), false, now, now);
        var account = draft with { PasswordHash = hasher.HashPassword(draft, password!) };
        return await directory.TryCreateAsync(account, cancellationToken)
            ? UserChangeResult.Ok(account)
            : UserChangeResult.Conflict("username", $"A user named '{account.UserName}' already exists.");
    }

    public async Task<UserChangeResult> UpdateAsync(string userName, UserChanges changes, CancellationToken cancellationToken)
    {
        var current = await directory.FindAsync(userName, cancellationToken);
        if (current is null) return UserChangeResult.NotFound();

        var role = changes.Role ?? current.Role;
        var errors = new Dictionary<string, string[]>();
        if (changes.Role is not null) AddError(errors, "role", UserInputValidation.ValidateRole(changes.Role));
        if (changes.Password is not null) AddError(errors, "password", UserInputValidation.ValidatePassword(changes.Password));
        var scopeText = changes.RegionScope ?? current.RegionScope.Code;
        if (changes.RegionScope is not null || changes.Role is not null)
            AddError(errors, "region_scope", UserInputValidation.ValidateRegionScope(scopeText, role));
        if (errors.Count > 0) return UserChangeResult.Invalid(errors);

        var updated = current with
        {
            Role = role,
            RegionScope = RegionScope.Parse(scopeText!),
            Disabled = changes.Disabled ?? current.Disabled,
            UpdatedAt = time.GetUtcNow(),
        };
        if (changes.Password is not null) updated = updated with { PasswordHash = hasher.HashPassword(updated, changes.Password) };

        if (current.Role == Roles.Admin && !current.Disabled && (updated.Role != Roles.Admin || updated.Disabled)
            && !await HasOtherActiveAdminAsync(current.UserName, cancellationToken))
        {
            return UserChangeResult.Conflict("role", "This is the last active admin; create or enable another admin first.");
        }

        return await directory.TryUpdateAsync(updated, cancellationToken) ? UserChangeResult.Ok(updated) : UserChangeResult.NotFound();
    }

    /// <summary>
    /// Checks a username and password. Does the full hashing work even for unknown or disabled users
    /// so response times do not tell them apart. Upgrades outdated hashes on success.
    /// </summary>
    public async Task<(LoginOutcome Outcome, UserAccount? Account)> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var account = UserInputValidation.ValidateUserName(userName) is null
            ? await directory.FindAsync(userName, cancellationToken)
            : null;
        if (account is null)
        {
            var (decoyUser, decoyHash) = _decoy.Value;
            hasher.VerifyHashedPassword(decoyUser, decoyHash, password);
            return (LoginOutcome.UnknownUser, null);
        }

        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return (LoginOutcome.WrongPassword, null);
        if (account.Disabled) return (LoginOutcome.Disabled, null);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account = account with { PasswordHash = hasher.HashPassword(account, password), UpdatedAt = time.GetUtcNow() };
            await directory.TryUpdateAsync(account, cancellationToken);
        }
        return (LoginOutcome.Success, account);
    }

    private async Task<bool> HasOtherActiveAdminAsync(string userName, CancellationToken cancellationToken) =>
        (await directory.ListAsync(cancellationToken)).Any(u =>
            u.Role == Roles.Admin && !u.Disabled && !string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));

    private static void AddError(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null) errors[field] = [error];
    }
}
