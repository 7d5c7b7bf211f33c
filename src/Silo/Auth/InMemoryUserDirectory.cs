using System.Collections.Concurrent;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>A process-memory user store, for tests and demos.</summary>
internal sealed class InMemoryUserDirectory : IUserDirectory
{
    private readonly ConcurrentDictionary<string, UserAccount> _users = new(StringComparer.OrdinalIgnoreCase);

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<UserAccount?> FindAsync(string userName, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.GetValueOrDefault(userName));

    public Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UserAccount>>(
            [.. _users.Values.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)]);

    public Task<bool> TryCreateAsync(UserAccount account, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.TryAdd(account.UserName, account));

    public Task<bool> TryUpdateAsync(UserAccount account, CancellationToken cancellationToken = default)
    {
        while (_users.TryGetValue(account.UserName, out var current))
        {
            var updated = account with { UserName = current.UserName, CreatedAt = current.CreatedAt };
            if (_users.TryUpdate(current.UserName, updated, current)) return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }
}
