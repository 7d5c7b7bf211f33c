using System.Collections.Concurrent;

namespace GridGov.Realtime.Actors.Concurrency;

/// <summary>
/// Many producers, one consumer that takes everything queued at once (a group-commit writer). Enqueueing takes no
/// lock: a bounded <see cref="System.Threading.Channels.Channel"/> serialises every producer on one monitor, and with
/// a hundred terminal connections appending fixes that monitor was the hottest contended lock of the pipeline.
/// Bounded: past <c>capacity</c> items <see cref="EnqueueAsync"/> waits for the consumer (back-pressure).
/// </summary>
public sealed class BatchQueue<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly int _capacity;
    private int _count;
    private volatile bool _completed;
    private TaskCompletionSource? _consumer;   // set while the consumer waits for items
    private TaskCompletionSource? _room;       // shared by producers waiting for room

    public BatchQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues the item unless the queue is full or completed.</summary>
    public bool TryEnqueue(T item)
    {
        if (_completed) return false;
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _items.Enqueue(item);
        // The enqueue publishes the item with a release write, which a later read may overtake (store→load reordering
        // is allowed even on x86): without this fence the read below could see no consumer while the consumer, which
        // registered then re-checked, sees no item, and both would wait (Dekker; the consumer side fences too).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _consumer) is not null) Interlocked.Exchange(ref _consumer, null)?.TrySetResult();
        return true;
    }

    /// <summary>Queues the item, waiting while the queue is full. Throws <see cref="InvalidOperationException"/> once completed.</summary>
    public async ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default)
    {
        while (!TryEnqueue(item))
        {
            if (_completed) throw new InvalidOperationException("The queue is completed.");
            var room = Volatile.Read(ref _room);
            if (room is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = Interlocked.CompareExchange(ref _room, created, null) ?? created;
            }

            if (Volatile.Read(ref _count) < _capacity || _completed) continue;
            await room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>True when items are there; false once completed and drained. For the single consumer only.</summary>
    public async ValueTask<bool> WaitToReadAsync()
    {
        while (true)
        {
            if (!_items.IsEmpty) return true;
            if (_completed) return !_items.IsEmpty;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _consumer, waiter); // full fence before the re-check below
            if (!_items.IsEmpty || _completed) continue;
            await waiter.Task;
        }
    }

    /// <summary>Takes one item. For the single consumer only.</summary>
    public bool TryDequeue(out T item)
    {
        if (!_items.TryDequeue(out item!)) return false;
        if (Interlocked.Decrement(ref _count) < _capacity && Volatile.Read(ref _room) is not null)
            Interlocked.Exchange(ref _room, null)?.TrySetResult();
        return true;
    }

    /// <summary>No more items are accepted; the consumer drains what is queued, then <see cref="WaitToReadAsync"/> returns false.</summary>
    public void Complete()
    {
        _completed = true;
        Interlocked.Exchange(ref _consumer, null)?.TrySetResult();
        Interlocked.Exchange(ref _room, null)?.TrySetResult();
    }
}
