namespace GridGov.Realtime.Actors;

/// <summary>Implemented by grains that register durable reminders.</summary>
public interface IRemindable
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>What a reminder tick knows: when it was due, its period (null for a one-shot) and when it was delivered.</summary>
public readonly record struct TickStatus(DateTimeOffset DueAt, TimeSpan? Period, DateTimeOffset CurrentTickTime);

/// <summary>A registered reminder.</summary>
public sealed record GrainReminder(GrainId GrainId, string Name, DateTimeOffset DueAt, TimeSpan? Period);

/// <summary>An activation-bound timer. Dispose to stop it; it also stops when the activation is collected.</summary>
public interface IGrainTimer : IDisposable
{
    void Change(TimeSpan dueTime, TimeSpan period);
}
