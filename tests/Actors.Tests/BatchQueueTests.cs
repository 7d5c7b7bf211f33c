using GridGov.Realtime.Actors.Concurrency;

namespace GridGov.Realtime.Actors.Tests;

public sealed class BatchQueueTests
{
    [Fact]
    public async Task EveryItemFromConcurrentProducersReachesTheConsumerOnceAndInEachProducersOrder()
    {
        const int producers = 8;
        const int perProducer = 20_000;
        var queue = new BatchQueue<(int Producer, int Seq)>(capacity: 64);
        var consumer = Task.Run(async () =>
        {
            var last = Enumerable.Repeat(-1, producers).ToArray();
            var seen = 0;
            while (await queue.WaitToReadAsync())
            {
                while (queue.TryDequeue(out var item))
                {
                    Assert.Equal(last[item.Producer] + 1, item.Seq);
                    last[item.Producer] = item.Seq;
                    seen++;
                }
            }
            return seen;
        }, TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++) await queue.EnqueueAsync((p, i), TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken)));
        queue.Complete();

        Assert.Equal(producers * perProducer, await consumer.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AFullQueueRefusesTryEnqueueAndMakesEnqueueAsyncWaitForTheConsumer()
    {
        var queue = new BatchQueue<int>(capacity: 2);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));

        var waiting = queue.EnqueueAsync(3, TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiting.IsCompleted);

        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(1, first);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task CompletingLetsTheConsumerDrainThenReportsTheEndAndRefusesNewItems()
    {
        var queue = new BatchQueue<int>(capacity: 10);
        queue.TryEnqueue(1);
        queue.Complete();

        Assert.False(queue.TryEnqueue(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(2, TestContext.Current.CancellationToken).AsTask());
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryDequeue(out var only));
        Assert.Equal(1, only);
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task AWaitingConsumerWakesForTheNextItem()
    {
        var queue = new BatchQueue<int>(capacity: 10);
        var wait = queue.WaitToReadAsync().AsTask();
        Assert.False(wait.IsCompleted);

        Assert.True(queue.TryEnqueue(7));

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }
}
