using System.Threading.Channels;
using GridGov.Realtime.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

/// <summary>One message the feed sent to one group.</summary>
public sealed record Sent(string Group, string Method, object Message);

/// <summary>
/// Stands in for SignalR's hub context: records every group send, in order, on a channel tests await.
/// <see cref="Hold"/> makes sends hang until released, like a client that stopped reading.
/// </summary>
public sealed class RecordingHubContext : IHubContext<CommandCentreHub, ICommandCentreClient>
{
    private readonly Channel<Sent> _sent = Channel.CreateUnbounded<Sent>();
    private TaskCompletionSource? _hold;

    public IHubClients<ICommandCentreClient> Clients => new GroupsOnly(this);
    public IGroupManager Groups => throw new NotSupportedException("The feed never manages groups.");

    /// <summary>
    /// From now on, sends complete only when <see cref="Release"/> is called. Continuations run inline on
    /// Release, so when it returns the feed has already seen its held sends complete (a barrier, not a race).
    /// </summary>
    public void Hold() => _hold = new TaskCompletionSource();

    public void Release()
    {
        var hold = _hold;
        _hold = null;
        hold?.SetResult();
    }

    /// <summary>The next send the feed made (also held ones), or fails after the safety limit.</summary>
    public async Task<Sent> NextAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Sends recorded so far and not yet taken.</summary>
    public List<Sent> Drain()
    {
        var list = new List<Sent>();
        while (_sent.Reader.TryRead(out var s)) list.Add(s);
        return list;
    }

    /// <summary>Takes sends up to and including the first that matches, returning them all.</summary>
    public async Task<List<Sent>> UntilAsync(Func<Sent, bool> match)
    {
        var list = new List<Sent>();
        while (true)
        {
            var s = await NextAsync();
            list.Add(s);
            if (match(s)) return list;
        }
    }

    private Task Record(string group, string method, object message)
    {
        _sent.Writer.TryWrite(new Sent(group, method, message));
        return _hold?.Task ?? Task.CompletedTask;
    }

    private sealed class GroupClient(RecordingHubContext owner, string group) : ICommandCentreClient
    {
        public Task Positions(PositionBatch batch) => owner.Record(group, nameof(Positions), batch);
        public Task WorkerStatus(WorkerStatusMessage message) => owner.Record(group, nameof(WorkerStatus), message);
        public Task GridTransition(GridTransitionMessage message) => owner.Record(group, nameof(GridTransition), message);
        public Task Alert(AlertMessage message) => owner.Record(group, nameof(Alert), message);
        public Task Counters(CountersMessage message) => owner.Record(group, nameof(Counters), message);
        public Task Warning(WarningMessage message) => owner.Record(group, nameof(Warning), message);
        public Task Escalation(EscalationMessage message) => owner.Record(group, nameof(Escalation), message);
        public Task CaseUpdated(CaseUpdateMessage message) => owner.Record(group, nameof(CaseUpdated), message);
        public Task CaseEscalated(CaseEscalationMessage message) => owner.Record(group, nameof(CaseEscalated), message);
    }

    private sealed class GroupsOnly(RecordingHubContext owner) : IHubClients<ICommandCentreClient>
    {
        public ICommandCentreClient Group(string groupName) => new GroupClient(owner, groupName);
        public ICommandCentreClient All => throw new NotSupportedException();
        public ICommandCentreClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public ICommandCentreClient Client(string connectionId) => throw new NotSupportedException();
        public ICommandCentreClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public ICommandCentreClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public ICommandCentreClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public ICommandCentreClient User(string userId) => throw new NotSupportedException();
        public ICommandCentreClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }
}
