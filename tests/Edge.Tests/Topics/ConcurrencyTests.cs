using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Tests.Topics;

/// <summary>
/// Match from several threads while another thread subscribes and unsubscribes. No sleeps: threads
/// start together on a barrier and readers run until the writer signals it is done.
/// </summary>
public class ConcurrencyTests
{
    [Fact]
    public void Concurrent_match_while_subscribing_and_unsubscribing()
    {
        const int Readers = 3;
        const int Rounds = 300;
        var tree = new SubscriptionTree();

        // Stable subscriptions that must be visible to every Match, whatever the writer does.
        tree.Subscribe("stable-exact", "g/v1/t/5/tasks", new SubscriptionOptions(MqttQualityOfService.AtLeastOnce, SubscriptionIdentifier: 1));
        tree.Subscribe("stable-hash", "g/v1/#", default);
        tree.Subscribe("s1", "$share/w/g/v1/t/+/tasks", default);
        tree.Subscribe("s2", "$share/w/g/v1/t/+/tasks", default);

        using var start = new Barrier(Readers + 1);
        using var writerDone = new ManualResetEventSlim();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long matches = 0;

        var readers = Enumerable.Range(0, Readers).Select(r => new Thread(() =>
        {
            var results = new MatchResults();
            start.SignalAndWait();
            var i = 0;
            do
            {
                var topic = $"g/v1/t/{i++ % 20}/tasks";
                try
                {
                    tree.Match(topic, results);
                    var ids = results.AsSpan().ToArray();
                    if (!ids.Any(m => m.ClientId == "stable-hash"))
                    {
                        errors.Enqueue("stable-hash missing for " + topic);
                    }

                    if (ids.Count(m => m.ShareName == "w") != 1 || ids.Count(m => m.ShareName == "dyn") > 1)
                    {
                        errors.Enqueue("shared group not delivered exactly once for " + topic);
                    }

                    if (ids.GroupBy(m => (m.ClientId, m.ShareName)).Any(g => g.Count() > 1))
                    {
                        errors.Enqueue("duplicate entry for one client in " + topic);
                    }

                    if (topic == "g/v1/t/5/tasks")
                    {
                        var exact = ids.SingleOrDefault(m => m.ClientId == "stable-exact");
                        if (exact.ClientId is null || exact.Qos != MqttQualityOfService.AtLeastOnce || !results.GetSubscriptionIdentifiers(exact).SequenceEqual([1]))
                        {
                            errors.Enqueue("stable-exact wrong for " + topic);
                        }
                    }

                    Interlocked.Increment(ref matches);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    errors.Enqueue(ex.ToString());
                }
            }
            while (!writerDone.IsSet);
        })).ToList();

        readers.ForEach(t => t.Start());
        start.SignalAndWait();
        for (var round = 0; round < Rounds; round++)
        {
            for (var c = 0; c < 20; c++)
            {
                tree.Subscribe("w" + c, $"g/v1/t/{c}/tasks", new SubscriptionOptions(SubscriptionIdentifier: 100 + c));
                tree.Subscribe("w" + c, "g/v1/t/+/#", default);
                tree.Subscribe("w" + c, $"$share/dyn/g/v1/t/{c}/tasks", default);
                tree.Subscribe("x" + c, $"g/v1/other{c}/+", default); // churn siblings (promotes/shrinks level maps)
            }

            for (var c = 0; c < 20; c += 2)
            {
                tree.Unsubscribe("w" + c, $"g/v1/t/{c}/tasks");
                tree.RemoveClient("x" + c);
            }

            if (round != Rounds - 1)
            {
                for (var c = 0; c < 20; c++)
                {
                    tree.RemoveClient("w" + c);
                    tree.RemoveClient("x" + c);
                }
            }
        }

        writerDone.Set();
        readers.ForEach(t => t.Join());

        Assert.Empty(errors);
        Assert.True(Interlocked.Read(ref matches) > 0);

        // Final state: odd w-clients keep their exact subscription, every w-client keeps "+/#" and its shared one.
        var final = new MatchResults();
        for (var c = 0; c < 20; c++)
        {
            tree.Match($"g/v1/t/{c}/tasks", final);
            var direct = final.AsSpan().ToArray().Where(m => !m.IsShared).Select(m => m.ClientId).Order(StringComparer.Ordinal);
            var expected = Enumerable.Range(0, 20).Select(i => "w" + i).Append("stable-hash");
            if (c == 5)
            {
                expected = expected.Append("stable-exact");
            }

            Assert.Equal(expected.Order(StringComparer.Ordinal), direct);
            var own = final.AsSpan().ToArray().Single(m => m.ClientId == "w" + c && !m.IsShared);
            Assert.Equal(c % 2 == 1 ? [100 + c] : Array.Empty<int>(), final.GetSubscriptionIdentifiers(own).ToArray());
            Assert.Equal(2, final.AsSpan().ToArray().Count(m => m.IsShared)); // group "w" on t/+/tasks and group "dyn" on t/{c}/tasks
        }

        foreach (var client in new[] { "stable-exact", "stable-hash", "s1", "s2" }.Concat(Enumerable.Range(0, 20).SelectMany(c => new[] { "w" + c, "x" + c })))
        {
            tree.RemoveClient(client);
        }

        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriptionCount);
    }

    [Fact]
    public void Concurrent_retained_set_and_match()
    {
        var store = new RetainedMessageStore();
        const int Writers = 2;
        const int PerWriter = 2000;
        using var start = new Barrier(Writers + 1);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var done = new CountdownEvent(Writers);

        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    store.Set($"r/{w}/{i % 100}/v", new byte[] { (byte)i });
                    if (i % 3 == 0)
                    {
                        store.Set($"r/{w}/{(i + 50) % 100}/v", ReadOnlyMemory<byte>.Empty);
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors.Enqueue(ex);
            }
            finally
            {
                done.Signal();
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        start.SignalAndWait();
        var reads = 0;
        while (!done.IsSet || reads == 0)
        {
            foreach (var m in store.Match("r/+/+/v"))
            {
                Assert.StartsWith("r/", m.Topic, StringComparison.Ordinal);
                Assert.False(m.Payload.IsEmpty);
            }

            reads++;
        }

        threads.ForEach(t => t.Join());
        Assert.Empty(errors);

        var all = store.Match("#");
        Assert.Equal(store.Count, all.Count);
        Assert.Equal(all.Sum(m => m.Payload.Length + m.Topic.Length), store.TotalBytes);
        foreach (var m in all)
        {
            Assert.True(store.TryGet(m.Topic, out var same));
            Assert.Same(m, same);
        }
    }
}
