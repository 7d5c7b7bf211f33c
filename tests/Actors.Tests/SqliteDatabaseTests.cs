using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Actors.Tests;

public sealed class SqliteDatabaseTests
{
    private static readonly SqliteMigration Table = new("test", 1, "numbers", "CREATE TABLE numbers (n INTEGER NOT NULL PRIMARY KEY);");

    [Fact]
    public async Task AFailingWriteInABatchChangesNothingWhileTheOthersOfTheBatchCommit()
    {
        using var dir = new TempDirectory();
        await using var db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = dir.Path }), [Table], NullLogger<SqliteDatabase>.Instance);
        await db.InitializeAsync(TestContext.Current.CancellationToken);

        // Hold the writer inside a first write so every write below queues up and lands in one batch.
        using var gate = new ManualResetEventSlim();
        var holding = db.WriteAsync(ctx => { gate.Wait(TestContext.Current.CancellationToken); return 0; });
        var writes = Enumerable.Range(1, 50).Select(n => db.WriteAsync(ctx =>
        {
            var insert = ctx.Command("INSERT INTO numbers (n) VALUES ($n)");
            insert.Parameters.AddWithValue("$n", n);
            insert.ExecuteNonQuery();
            // The 25th inserts a second row, then fails: neither of its rows may remain.
            if (n != 25) return n;
            var extra = ctx.Command("INSERT INTO numbers (n) VALUES ($n)");
            extra.Parameters.AddWithValue("$n", 1000);
            extra.ExecuteNonQuery();
            throw new InvalidOperationException("write 25 fails");
        })).ToList();
        gate.Set();
        await holding;

        for (var i = 0; i < writes.Count; i++)
        {
            if (i == 24) await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i]);
            else Assert.Equal(i + 1, await writes[i]);
        }

        var stored = db.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT n FROM numbers ORDER BY n";
            using var r = cmd.ExecuteReader();
            var rows = new List<long>();
            while (r.Read()) rows.Add(r.GetInt64(0));
            return rows;
        });
        Assert.Equal(Enumerable.Range(1, 50).Where(n => n != 25).Select(n => (long)n), stored);
    }
}
