using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Every registered <see cref="ICaseNotifier"/>, in registration order, as the one the case grain calls. One
/// notifier failing is logged and does not keep the others from hearing the event (the event is durable anyway).
/// </summary>
public sealed partial class CaseNotifiers(IEnumerable<ICaseNotifier> notifiers, ILogger<CaseNotifiers> logger)
{
    private readonly ICaseNotifier[] _notifiers = [.. notifiers];

    public Task CaseChangedAsync(CaseView view, CaseEvent change) => EachAsync(view, change, static (n, v, e) => n.CaseChangedAsync(v, e));

    public Task StepOverdueAsync(CaseView view, CaseStepOverdue overdue) => EachAsync(view, overdue, static (n, v, e) => n.StepOverdueAsync(v, e));

    public Task CaseEscalatedAsync(CaseView view, CaseEscalated escalated) => EachAsync(view, escalated, static (n, v, e) => n.CaseEscalatedAsync(v, e));

    private async Task EachAsync<TEvent>(CaseView view, TEvent e, Func<ICaseNotifier, CaseView, TEvent, Task> notify) where TEvent : CaseEvent
    {
        foreach (var notifier in _notifiers)
        {
            try
            {
                await notify(notifier, view, e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogFailed(logger, ex, notifier.GetType().Name, view.Id, e.Seq);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Notifier} failed on case {CaseId} event {Seq}; the event itself is stored")]
    private static partial void LogFailed(ILogger logger, Exception exception, string notifier, string caseId, long seq);
}
