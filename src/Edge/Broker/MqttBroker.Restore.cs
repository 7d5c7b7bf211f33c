using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Sessions;

namespace GridGov.Realtime.Edge.Broker;

internal sealed partial class MqttBroker
{
    /// <summary>
    /// Loads retained messages and persistent sessions from the store before the first connection: expired retained
    /// messages (5.0 §3.3.2.3.3) and sessions past their expiry (5.0 §3.1.2.11.2) are deleted, not restored; a session
    /// that was connected when the process stopped starts its expiry now, as if its connection had just closed.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (Store is null) return;
        var state = await Store.LoadAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var retained = 0;
        foreach (var r in state.Retained)
        {
            if (r.Message.ExpiresAt <= now || StoredMessageCodec.Decode(r.Message) is not { } decoded)
            {
                Observe(Store.ClearRetainedAsync(r.Topic), null);
                continue;
            }

            var m = decoded.Message;
            if (Retained.Set(r.Topic, m.Payload, m.QoS, m, m.ExpiresAt) is Topics.RetainResult.Stored or Topics.RetainResult.Replaced) retained++;
        }

        var sessions = 0;
        lock (_connectGate)
        {
            foreach (var s in state.Sessions)
            {
                var deadline = s.ExpiresAt ?? now.AddSeconds(s.ExpirySeconds);
                if (s.ExpirySeconds == 0 || deadline <= now || _sessions.ContainsKey(s.ClientId))
                {
                    Observe(Store.DeleteSessionAsync(s.ClientId), s.ClientId);
                    continue;
                }

                _sessions[s.ClientId] = Restore(s, deadline, now);
                sessions++;
            }
        }

        EdgeLog.StateRestored(Logger, retained, sessions);
    }

    private MqttSession Restore(MqttStoredSession s, DateTimeOffset deadline, DateTimeOffset now)
    {
        var session = new MqttSession(s.ClientId, Options, Metrics, Time, Store, Logger) { ExpirySeconds = s.ExpirySeconds, Stored = true };
        foreach (var sub in s.Subscriptions) Tree.Subscribe(s.ClientId, sub.Filter, sub.Options);
        var entries = new List<(long, ushort, bool, StoredMessageCodec.Decoded)>(s.Messages.Count);
        foreach (var e in s.Messages.OrderBy(e => e.Sequence))
        {
            if (StoredMessageCodec.Decode(e.Message) is { } decoded) entries.Add((e.Sequence, e.PacketId, e.Released, decoded));
            else Observe(Store!.RemoveMessageAsync(s.ClientId, e.Sequence), s.ClientId);
        }

        session.Restore(entries);
        if (s.ExpiresAt is null) Observe(Store!.SaveSessionAsync(s.ClientId, s.ExpirySeconds, deadline), s.ClientId);
        session.ExpiryTimer = Time.CreateTimer(static st => ((State)st!).Broker.ExpireSession(((State)st).Session), new State(this, session), deadline - now, Timeout.InfiniteTimeSpan);
        return session;
    }
}
