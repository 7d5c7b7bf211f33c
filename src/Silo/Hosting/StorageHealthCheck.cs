using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GridGov.Realtime.Silo.Hosting;

/// <summary>Healthy when the database answers a query.</summary>
internal sealed class StorageHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            database.Read(c =>
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT 1";
                return cmd.ExecuteScalar();
            });
            return Task.FromResult(HealthCheckResult.Healthy("SQLite answers."));
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("SQLite does not answer.", ex));
        }
    }
}
