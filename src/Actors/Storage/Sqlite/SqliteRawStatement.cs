using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GridGov.Realtime.Actors.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer connection and stepped directly through SQLite's C API: bind, step,
/// reset. For bulk appends (position history) where <see cref="SqliteCommand"/>'s per-execution work (statement
/// enumeration, parameter name lookup and type inference) costs more than the insert itself. Only valid inside
/// <see cref="SqliteDatabase.WriteAsync{T}"/>; parameters are 1-based as in SQLite.
/// </summary>
public sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    internal SqliteRawStatement(sqlite3 db, string sql)
    {
        _db = db;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    public void Bind(int index, double? value) => Check(value is { } v ? raw.sqlite3_bind_double(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs a statement that returns no rows, then resets it for the next bind.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
