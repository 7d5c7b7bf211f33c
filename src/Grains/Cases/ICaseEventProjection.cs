using GridGov.Realtime.Actors.Storage.Sqlite;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// A read model the SQLite event store keeps in the transaction of every append (DESIGN.md, Storage:
/// read models for listing and statistics). A throw rolls the append back, so an acknowledged event is
/// never missing from the read model.
/// </summary>
public interface ICaseEventProjection
{
    /// <summary>
    /// Brings the case's read-model rows up to date after its new events were inserted (they are visible
    /// through <paramref name="context"/>). Returns work to run once the transaction has committed
    /// (live notifications), or null.
    /// </summary>
    /// <param name="expectedVersion">The case's version before <paramref name="appended"/> (the append checked it).</param>
    /// <param name="appended">The events this append wrote, oldest first.</param>
    Action? Project(SqliteWriteContext context, string caseId, long expectedVersion, IReadOnlyList<CaseEvent> appended);
}
