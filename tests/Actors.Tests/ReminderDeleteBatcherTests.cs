using GridGov.Realtime.Actors.Reminders;
using GridGov.Realtime.Actors.Storage;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

public sealed class ReminderDeleteBatcherTests
{
    private static ReminderKey Key(string grain) => new(new GrainId("clock", grain), "deadline", new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Deletes_queued_while_a_batch_is_written_go_out_together_in_the_next_one()
    {
        var table = new GatedTable();
        var batcher = new ReminderDeleteBatcher(table);

        var first = batcher.DeleteAsync(Key("a"));
        await table.FirstStarted.Within();
        var queued = new[] { batcher.DeleteAsync(Key("b")), batcher.DeleteAsync(Key("c")), batcher.DeleteAsync(Key("d")) };
        Assert.False(first.IsCompleted);

        table.Release();
        await Task.WhenAll([first, .. queued]).Within();
        Assert.Equal([["a"], ["b", "c", "d"]], table.Batches.Select(b => b.Select(k => k.GrainId.Key).ToArray()));
    }

    [Fact]
    public async Task A_failed_batch_fails_only_the_deletes_in_it()
    {
        var table = new GatedTable { FailFirst = true };
        var batcher = new ReminderDeleteBatcher(table);

        var failing = batcher.DeleteAsync(Key("a"));
        await table.FirstStarted.Within();
        var next = batcher.DeleteAsync(Key("b"));
        table.Release();

        await Assert.ThrowsAsync<IOException>(() => failing.Within());
        await next.Within();
        Assert.Equal(2, table.Batches.Count);
    }

    /// <summary>Holds the first batch until released; records every batch.</summary>
    private sealed class GatedTable : IReminderTable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailFirst { get; init; }
        public List<ReminderKey[]> Batches { get; } = [];

        public Task FirstStarted => _firstStarted.Task;

        public void Release() => _release.TrySetResult();

        public async Task DeleteHandledAsync(IReadOnlyList<ReminderKey> handled, CancellationToken cancellationToken = default)
        {
            int n;
            lock (Batches)
            {
                Batches.Add([.. handled]);
                n = Batches.Count;
            }
            if (n == 1)
            {
                _firstStarted.TrySetResult();
                await _release.Task;
                if (FailFirst) throw new IOException("disk full");
            }
        }

        public Task<IReadOnlyList<ReminderRow>> ReadAllAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ReminderRow>>([]);

        public Task UpsertAsync(ReminderRow row, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task DeleteAsync(GrainId grainId, string name, DateTimeOffset? onlyIfDueAt = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("handled reminders are deleted in batches");
    }
}
