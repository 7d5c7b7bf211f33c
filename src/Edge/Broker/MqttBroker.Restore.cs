using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Sessions;

namespace GridGov.Realtime.Edge.Broker;

internal sealed partial class MqttBroker
{
    /// <summary>
    /// Loads retained messages and persistent sessions from the store before the first connection: expired retained
    /// messages (5.0 §3.3.2.3.3) and sessions past their expiry (5.0 §3.1.2.11.2) are deleted, not restored; a session
    /// that was connected when the process stopped starts its expiry now, as if its connection had just closed. A will
    /// waiting on its delay (5.0 §3.1.3.2.2) gets its timer back; one that fell due while the process was down, or whose
    /// session ended meanwhile, is published once every session is back, so persistent subscribers get it too.
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
        var dueWills = new List<MqttSession>();
        var endedWills = new List<(MqttWill Will, string ClientId)>();
        lock (_connectGate)
        {
            foreach (var s in state.Sessions)
            {
                var deadline = s.ExpiresAt ?? now.AddSeconds(s.ExpirySeconds);
                var ended = s.ExpirySeconds == 0 || deadline <= now;
                if (ended || _sessions.ContainsKey(s.ClientId))
                {
                    // 5.0 §3.1.3.2.2: the will goes at the latest when the session ends, even while the process was down.
                    if (ended && s.Will is { } w && StoredMessageCodec.DecodeWill(w) is { } will) endedWills.Add((will, s.ClientId));
                    Observe(Store.DeleteSessionAsync(s.ClientId), s.ClientId);
                    continue;
                }

                var session = Restore(s, deadline, now);
                _sessions[s.ClientId] = session;
                if (s.Will is { } pending && RestoreWill(session, pending, now)) dueWills.Add(session);
                sessions++;
            }

            foreach (var (will, clientId) in endedWills) PublishWill(will, clientId);
        }

        foreach (var session in dueWills) FireWill(session);
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
        session.RestoreInboundQos2(s.InboundQos2);
        if (s.ExpiresAt is null) Observe(Store!.SaveSessionAsync(s.ClientId, s.ExpirySeconds, deadline), s.ClientId);
        session.ExpiryTimer = Time.CreateTimer(static st => ((State)st!).Broker.ExpireSession(((State)st).Session), new State(this, session), deadline - now, Timeout.InfiniteTimeSpan);
        return session;
    }

    /// <summary>
    /// At host stop: no will or session expiry fires any more. What is stored stays as it is, and the next start
    /// restores it (firing what fell due meanwhile), so a stopping process never publishes or deletes under a successor.
    /// </summary>
    public void StopTimers()
    {
        lock (_connectGate)
        {
            foreach (var session in _sessions.Values)
            {
                session.WillTimer?.Dispose();
                session.ExpiryTimer?.Dispose();
            }
        }
    }

    /// <summary>Gives a stored will back its timer; true when it is due already (the caller fires it).</summary>
    private bool RestoreWill(MqttSession session, MqttStoredWill stored, DateTimeOffset now)
    {
        if (StoredMessageCodec.DecodeWill(stored) is not { } will)
        {
            Observe(Store!.DeleteWillAsync(session.ClientId), session.ClientId);
            return false;
        }

        session.PendingWill = will;
        if (stored.DueAt <= now) return true;
        StartWillTimer(session, stored.DueAt - now);
        return false;
    }
}
