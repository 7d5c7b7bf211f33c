namespace GridGov.Realtime.Grains.Calendar;

/// <summary>
/// An interval during which a case's step clock is stopped: 挂账 (suspension) and a pending
/// 延期 (extension) leave the timer (DOMAIN.md §3). <see cref="To"/> is null while still paused.
/// </summary>
public readonly record struct ClockPause(DateTimeOffset From, DateTimeOffset? To);
