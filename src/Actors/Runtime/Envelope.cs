namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// One message for an activation. Calls carry the method and its arguments (plain records, so a
/// later transport can serialise them); timer and reminder ticks and deactivation run as turns too.
/// Kept small: it is allocated once per message on the hottest path of the runtime.
/// </summary>
internal sealed class Envelope
{
    private static readonly Envelope[] s_deactivations = Enum.GetValues<DeactivationReason>()
        .Select(r => new Envelope { Kind = MessageKind.Deactivate, Control = r }).ToArray();

    public required MessageKind Kind { get; init; }
    public MethodDescriptor? Method { get; init; }
    public object?[]? Args { get; init; }
    public ResponseCompletion? Response { get; init; }
    public CallChain? Chain { get; init; }

    /// <summary>Kind-specific payload of control messages: a <see cref="GrainTimer"/>, a <see cref="ReminderTick"/> or a <see cref="DeactivationReason"/>.</summary>
    public object? Control { get; init; }

    public GrainTimer Timer => (GrainTimer)Control!;
    public ReminderTick Reminder => (ReminderTick)Control!;
    public DeactivationReason Reason => (DeactivationReason)Control!;

    public bool KeepsAlive => Kind is MessageKind.Call or MessageKind.Reminder || (Kind == MessageKind.Timer && Timer.KeepAlive);

    /// <summary>Deactivation requests carry no per-call data, so one shared instance per reason serves every activation.</summary>
    public static Envelope Deactivate(DeactivationReason reason) => s_deactivations[(int)reason];

    public void Fail(Exception exception) => Response?.SetException(exception);
}

internal sealed record ReminderTick(string Name, TickStatus Status);

internal enum MessageKind
{
    Call,
    Timer,
    Reminder,
    Deactivate,
}
