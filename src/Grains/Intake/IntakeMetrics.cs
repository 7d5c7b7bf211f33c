using System.Diagnostics.Metrics;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>Counters of case intake, meter <see cref="MeterName"/>.</summary>
public sealed class IntakeMetrics
{
    public const string MeterName = "GridGov.Realtime.Intake";

    private readonly Counter<long> _reports;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _verifications;

    public IntakeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _reports = meter.CreateCounter<long>("gridgov.intake.reports", "{report}", "Reports that opened a case (or repeated one already opened), by channel and outcome (opened, replayed).");
        _rejected = meter.CreateCounter<long>("gridgov.intake.rejected", "{report}", "Reports refused before a case was opened, by channel and reason.");
        _verifications = meter.CreateCounter<long>("gridgov.intake.verifications", "{case}", "Verification dispatches by outcome (nearest, assigned, nobody).");
    }

    public void Report(string channel, bool replayed) =>
        _reports.Add(1, new("channel", channel), new("outcome", replayed ? "replayed" : "opened"));

    public void Rejected(string channel, string reason) => _rejected.Add(1, new("channel", channel), new("reason", reason));

    public void Verification(string outcome) => _verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
