using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Counts failed logins per username + client IP in a sliding window; at <see cref="AuthOptions.MaxFailedLogins"/>
/// failures within <see cref="AuthOptions.FailedLoginWindow"/> further attempts are refused (429) until
/// the oldest failure leaves the window. A success clears the count. In memory, per process.
/// </summary>
internal sealed class LoginAttemptLimiter(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Above this many tracked keys, stale ones are swept on the next failure.</summary>
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>True when this username + IP must wait; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsBlocked(string userName, string? clientIp, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failures.TryGetValue(Key(userName, clientIp), out var queue)) return false;
        var settings = options.Value;
        var now = time.GetUtcNow();
        lock (queue)
        {
            Trim(queue, now - settings.FailedLoginWindow);
            if (queue.Count < settings.MaxFailedLogins) return false;
            retryAfter = queue.Peek() + settings.FailedLoginWindow - now;
            return true;
        }
    }

    public void RecordFailure(string userName, string? clientIp)
    {
        var now = time.GetUtcNow();
        var window = options.Value.FailedLoginWindow;
        if (_failures.Count > SweepThreshold) Sweep(now - window);
        var queue = _failures.GetOrAdd(Key(userName, clientIp), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Trim(queue, now - window);
            queue.Enqueue(now);
        }
    }

    public void Reset(string userName, string? clientIp) => _failures.TryRemove(Key(userName, clientIp), out _);

    private void Sweep(DateTimeOffset cutoff)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                Trim(queue, cutoff);
                if (queue.Count == 0) _failures.TryRemove(new KeyValuePair<string, Queue<DateTimeOffset>>(key, queue));
            }
        }
    }

    private static void Trim(Queue<DateTimeOffset> queue, DateTimeOffset cutoff)
    {
        while (queue.Count > 0 && queue.Peek() <= cutoff) queue.Dequeue();
    }

    private static string Key(string userName, string? clientIp) => $"{userName.ToLowerInvariant()}\n{clientIp ?? "-"}";
}
