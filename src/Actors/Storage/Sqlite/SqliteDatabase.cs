using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Storage.Sqlite;

/// <summary>
/// The embedded database file. Writes go through one group-commit writer: every write waiting at a
/// moment is applied in one transaction (re-run with a savepoint per write if one fails, so one failing write changes
/// nothing and does not fail the others) and acknowledged only after COMMIT, so an acknowledged write
/// is durable while many writers share one fsync. Reads use pooled connections (WAL lets them run
/// beside the writer).
/// </summary>
public sealed partial class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteStorageOptions _options;
    private readonly IReadOnlyList<SqliteMigration> _migrations;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly Channel<WriteOp> _writes = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _writerStatements = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private Task? _writerLoop;
    private Lazy<Task>? _closing;

    public SqliteDatabase(IOptions<SqliteStorageOptions> options, IEnumerable<SqliteMigration> migrations, ILogger<SqliteDatabase> logger)
    {
        _options = options.Value;
        _migrations = [.. ActorMigrations.All, .. migrations];
        _logger = logger;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string ConnectionString { get; }
    public string DatabasePath => _options.DatabasePath;

    /// <summary>Creates the file, sets WAL, applies missing migrations and starts the writer. Idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initGate.WaitAsync(cancellationToken);
        try
        {
            if (_writer is not null) return;
            ObjectDisposedException.ThrowIf(_closing is not null, this);
            Directory.CreateDirectory(Path.GetDirectoryName(_options.DatabasePath)!);
            var writer = new SqliteConnection(ConnectionString);
            writer.Open();
            Execute(writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_options.Synchronous.ToString().ToUpperInvariant()}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
            ApplyMigrations(writer);
            _writer = writer;
            _writerLoop = Task.Run(RunWriterAsync, CancellationToken.None);
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> inside the next group-commit transaction; completes after COMMIT.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteContext, T> work)
    {
        var op = new WriteOp<T>(work);
        if (_writer is null) throw new InvalidOperationException("The database is not initialised; the host initialises it at start-up.");
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(SqliteDatabase), "The database is shutting down.");
        return op.Task;
    }

    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return read(connection);
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<WriteOp>(_options.MaxBatch);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var op)) batch.Add(op);
            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<WriteOp> batch)
    {
        try
        {
            if (!TryCommitTogether(batch)) CommitEachInASavepoint(batch);
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, ex, batch.Count);
            foreach (var op in batch) op.Failed ??= ex;
        }
        foreach (var op in batch) op.Complete();
    }

    /// <summary>
    /// The common case: every write of the batch in one transaction, no savepoints (two statements fewer per write,
    /// which is most of the writer's cost for small writes such as case events). If any write throws, the whole
    /// batch is rolled back and false is returned, so it runs again with a savepoint per write: one bad write still
    /// changes nothing and fails no other. Writes are functions of the database only, so running one twice is safe.
    /// </summary>
    private bool TryCommitTogether(List<WriteOp> batch)
    {
        var writer = _writer!;
        using var tx = writer.BeginTransaction(deferred: false);
        var context = new SqliteWriteContext(writer, tx, _writerCommands, _writerStatements);
        foreach (var op in batch)
        {
            try
            {
                op.Run(context);
            }
            catch (Exception ex)
            {
                tx.Rollback();
                if (batch.Count > 1) return false;
                op.Failed = ex;
                return true;
            }
        }
        tx.Commit();
        return true;
    }

    private void CommitEachInASavepoint(List<WriteOp> batch)
    {
        var writer = _writer!;
        using var tx = writer.BeginTransaction(deferred: false);
        var context = new SqliteWriteContext(writer, tx, _writerCommands, _writerStatements);
        foreach (var op in batch)
        {
            context.Command("SAVEPOINT w").ExecuteNonQuery();
            try
            {
                op.Run(context);
                context.Command("RELEASE w").ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                context.Command("ROLLBACK TO w").ExecuteNonQuery();
                context.Command("RELEASE w").ExecuteNonQuery();
                op.Failed = ex;
            }
        }
        tx.Commit();
    }

    private void ApplyMigrations(SqliteConnection connection)
    {
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                module TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL,
                PRIMARY KEY (module, version));
            """);
        foreach (var m in _migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            using var tx = connection.BeginTransaction();
            using var check = connection.CreateCommand();
            check.Transaction = tx;
            check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE module = $m AND version = $v";
            check.Parameters.AddWithValue("$m", m.Module);
            check.Parameters.AddWithValue("$v", m.Version);
            if ((long)check.ExecuteScalar()! > 0) continue;
            using var apply = connection.CreateCommand();
            apply.Transaction = tx;
            apply.CommandText = m.Sql;
            apply.ExecuteNonQuery();
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations VALUES ($m, $v, $d, $t)";
            record.Parameters.AddWithValue("$m", m.Module);
            record.Parameters.AddWithValue("$v", m.Version);
            record.Parameters.AddWithValue("$d", m.Description);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
            record.ExecuteNonQuery();
            tx.Commit();
            LogMigrationApplied(_logger, m.Module, m.Version, m.Description);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Drains pending writes, then closes. Idempotent and safe to call concurrently: the hosted runtime
    /// disposes the database on stop and the container may dispose it again; both wait for one closing.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var closing = new Lazy<Task>(CloseAsync);
        var winner = Interlocked.CompareExchange(ref _closing, closing, null) ?? closing;
        return new ValueTask(winner.Value);
    }

    private async Task CloseAsync()
    {
        await _initGate.WaitAsync();
        try
        {
            _writes.Writer.TryComplete();
            if (_writerLoop is not null) await _writerLoop;
            foreach (var c in _writerCommands.Values) c.Dispose();
            _writerCommands.Clear();
            foreach (var s in _writerStatements.Values) s.Dispose();
            _writerStatements.Clear();
            if (_writer is not null) await _writer.DisposeAsync();
            _writer = null;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private abstract class WriteOp
    {
        public Exception? Failed { get; set; }
        public abstract void Run(SqliteWriteContext context);
        public abstract void Complete();
    }

    private sealed class WriteOp<T>(Func<SqliteWriteContext, T> work) : WriteOp
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _tcs.Task;

        public override void Run(SqliteWriteContext context) => _result = work(context);

        public override void Complete()
        {
            if (Failed is not null) _tcs.TrySetException(Failed);
            else _tcs.TrySetResult(_result);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A write batch of {Count} failed to commit; every write in it is reported failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Module} v{Version}: {Description}")]
    private static partial void LogMigrationApplied(ILogger logger, string module, int version, string description);
}

/// <summary>The writer connection inside a batch transaction, with prepared commands reused across batches.</summary>
public sealed class SqliteWriteContext
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands;
    private readonly Dictionary<string, SqliteRawStatement> _statements;

    internal SqliteWriteContext(SqliteConnection connection, SqliteTransaction transaction, Dictionary<string, SqliteCommand> commands,
        Dictionary<string, SqliteRawStatement> statements)
    {
        _connection = connection;
        _transaction = transaction;
        _commands = commands;
        _statements = statements;
    }

    /// <summary>A prepared statement for bulk work, reused across batches (see <see cref="SqliteRawStatement"/>).</summary>
    public SqliteRawStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(_connection.Handle!, sql);
            _statements[sql] = statement;
        }
        return statement;
    }

    /// <summary>A cached command for this SQL text, with its parameters cleared and bound to the batch transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }
}
