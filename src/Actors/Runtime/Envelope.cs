namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// One message for an activation. Calls carry the method and its arguments (plain records, so a
/// later transport can serialise them); timer and reminder ticks and deactivation run as turns too.
/// </summary>
internal sealed class Envelope
{
    public required MessageKind Kind { get; init; }
    public MethodDescriptor? Method { get; init; }
    public object?[]? Args { get; init; }
    public ResponseCompletion? Response { get; init; }
    public CallChain? Chain { get; init; }
    public GrainTimer? Timer { get; init; }
    public string? ReminderName { get; init; }
    public TickStatus Tick { get; init; }
    public DeactivationReason Reason { get; init; }

    public bool KeepsAlive => Kind is MessageKind.Call or MessageKind.Reminder || (Kind == MessageKind.Timer && Timer!.KeepAlive);

    public static Envelope Deactivate(DeactivationReason reason) => new() { Kind = MessageKind.Deactivate, Reason = reason };

    public void Fail(Exception exception) => Response?.SetException(exception);
}

internal enum MessageKind
{
    Call,
    Timer,
    Reminder,
    Deactivate,
}
