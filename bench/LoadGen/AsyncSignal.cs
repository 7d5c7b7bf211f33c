namespace GridGov.Realtime.LoadGen;

/// <summary>
/// A wake-up for loops that wait on a condition another loop changes (a window slot freed by a PUBACK, the backlog
/// drained by a delivery), instead of polling with <c>Task.Delay(1)</c>, whose 1 ms timer granularity paced the
/// generator rather than the broker. A waiter takes <see cref="WaitAsync"/> first, re-checks its condition, then
/// awaits; a releaser changes the state first, then calls <see cref="Release"/>. Both sides pass a full fence
/// (the CAS here, the interlocked counter update there), so a release between the waiter's check and its await is
/// not lost. <see cref="Release"/> is one volatile read when nobody waits, cheap enough for every receive.
/// </summary>
public sealed class AsyncSignal
{
    private TaskCompletionSource? _waiters;

    public bool HasWaiters => Volatile.Read(ref _waiters) is not null;

    /// <summary>A task completed by the next <see cref="Release"/>; shared by every waiter until then.</summary>
    public Task WaitAsync()
    {
        var current = Volatile.Read(ref _waiters);
        if (current is not null)
        {
            return current.Task;
        }

        // Continuations run on the thread pool, not inline in the releasing receive loop.
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _waiters, fresh, null) ?? fresh).Task;
    }

    /// <summary>Wakes every current waiter.</summary>
    public void Release()
    {
        if (Volatile.Read(ref _waiters) is not null)
        {
            Interlocked.Exchange(ref _waiters, null)?.TrySetResult();
        }
    }
}
