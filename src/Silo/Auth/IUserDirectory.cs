namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Storage of user accounts. Usernames are case-insensitive. Validation and password hashing happen
/// above this (in the account service), so implementations store what they are given.
/// </summary>
public interface IUserDirectory
{
    /// <summary>Creates the storage if needed; idempotent. A no-op for stores without a schema.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    Task<UserAccount?> FindAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>All users ordered by name.</summary>
    Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a user; false (and no change) when the name is taken.</summary>
    Task<bool> TryCreateAsync(UserAccount account, CancellationToken cancellationToken = default);

    /// <summary>Replaces password hash, role, scope, disabled flag and updated-at of an existing user; false when absent.</summary>
    Task<bool> TryUpdateAsync(UserAccount account, CancellationToken cancellationToken = default);
}
