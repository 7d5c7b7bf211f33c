using GridGov.Realtime.Actors.Storage;

namespace GridGov.Realtime.Actors.Reminders;

/// <summary>
/// Deletes handled one-shot reminders in batches: while one batch is being written, the next collects,
/// so at tens of thousands of fires a second the table sees one write per batch instead of one per fire.
/// Each caller's task completes when the batch holding its key is durable (or faults with it).
/// </summary>
internal sealed class ReminderDeleteBatcher(IReminderTable table)
{
    private readonly Lock _gate = new();
    private List<ReminderKey> _next = [];
    private TaskCompletionSource? _nextDone;
    private bool _writing;

    public Task DeleteAsync(ReminderKey key)
    {
        lock (_gate)
        {
            _next.Add(key);
            _nextDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var done = _nextDone.Task;
            if (!_writing)
            {
                _writing = true;
                _ = Task.Run(WriteAsync);
            }
            return done;
        }
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            List<ReminderKey> batch;
            TaskCompletionSource done;
            lock (_gate)
            {
                if (_next.Count == 0)
                {
                    _writing = false;
                    return;
                }
                (batch, done) = (_next, _nextDone!);
                (_next, _nextDone) = ([], null);
            }
            try
            {
                await table.DeleteHandledAsync(batch);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        }
    }
}
