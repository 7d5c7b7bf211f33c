using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Topics;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// The broker's retained messages and persistent sessions in the shared SQLite file (migrations "edge" v1, v2). Every write
/// goes through the group-commit writer, so a burst of QoS 1 publishes to persistent sessions shares one fsync and each
/// PUBACK waits only for its own batch's COMMIT. The writer is FIFO, which keeps the broker's call order.
/// </summary>
internal sealed class SqliteMqttStateStore(SqliteDatabase database) : IMqttStateStore
{
    /// <summary>The first schema alone (tests open a database as the previous version left it).</summary>
    internal static SqliteMigration V1 { get; } = new("edge", 1, "MQTT retained messages and persistent sessions", """
        CREATE TABLE mqtt_retained(
            topic TEXT PRIMARY KEY,
            expires_at_ms INTEGER NULL,
            packet BLOB NOT NULL);
        CREATE TABLE mqtt_sessions(
            client_id TEXT PRIMARY KEY,
            expiry_seconds INTEGER NOT NULL,
            expires_at_ms INTEGER NULL);
        CREATE TABLE mqtt_subscriptions(
            client_id TEXT NOT NULL,
            filter TEXT NOT NULL,
            qos INTEGER NOT NULL,
            no_local INTEGER NOT NULL,
            retain_as_published INTEGER NOT NULL,
            retain_handling INTEGER NOT NULL,
            subscription_id INTEGER NOT NULL,
            PRIMARY KEY(client_id, filter)) WITHOUT ROWID;
        CREATE TABLE mqtt_messages(
            client_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            packet_id INTEGER NOT NULL,
            released INTEGER NOT NULL,
            expires_at_ms INTEGER NULL,
            packet BLOB NOT NULL,
            PRIMARY KEY(client_id, sequence));
        """);

    // New tables rather than new columns, so a v1 database needs no rewrite and v1 rows need no defaults.
    private static SqliteMigration V2 { get; } = new("edge", 2, "MQTT inbound QoS 2 packet ids and wills waiting on their delay", """
        CREATE TABLE mqtt_inbound_qos2(
            client_id TEXT NOT NULL,
            packet_id INTEGER NOT NULL,
            PRIMARY KEY(client_id, packet_id)) WITHOUT ROWID;
        CREATE TABLE mqtt_wills(
            client_id TEXT PRIMARY KEY,
            due_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NULL,
            packet BLOB NOT NULL);
        """);

    /// <summary>
    /// Register all of them (declared after the steps: static initialisers run in order). A database from before v2 gets
    /// the new tables; its sessions load as they were, with no QoS 2 ids or will.
    /// </summary>
    public static SqliteMigration[] Migrations { get; } = [V1, V2];

    public async Task<MqttStoredState> LoadAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken); // idempotent; the actor runtime normally opened it already
        return database.Read(connection =>
        {
            var retained = new List<MqttStoredRetained>();
            Each(connection, "SELECT topic, expires_at_ms, packet FROM mqtt_retained", reader =>
                retained.Add(new MqttStoredRetained(reader.GetString(0), new MqttStoredMessage((byte[])reader[2], Time(reader, 1)))));

            var subscriptions = new Dictionary<string, List<MqttStoredSubscription>>(StringComparer.Ordinal);
            Each(connection, "SELECT client_id, filter, qos, no_local, retain_as_published, retain_handling, subscription_id FROM mqtt_subscriptions", reader =>
            {
                var options = new SubscriptionOptions(
                    (MqttQualityOfService)reader.GetInt32(2), reader.GetBoolean(3), reader.GetBoolean(4), (MqttRetainHandling)reader.GetInt32(5), reader.GetInt32(6));
                ListFor(subscriptions, reader.GetString(0)).Add(new MqttStoredSubscription(reader.GetString(1), options));
            });

            var messages = new Dictionary<string, List<MqttStoredQueueEntry>>(StringComparer.Ordinal);
            Each(connection, "SELECT client_id, sequence, packet_id, released, expires_at_ms, packet FROM mqtt_messages ORDER BY client_id, sequence", reader =>
                ListFor(messages, reader.GetString(0)).Add(new MqttStoredQueueEntry(
                    reader.GetInt64(1), (ushort)reader.GetInt32(2), reader.GetBoolean(3), new MqttStoredMessage((byte[])reader[5], Time(reader, 4)))));

            var inboundQos2 = new Dictionary<string, List<ushort>>(StringComparer.Ordinal);
            Each(connection, "SELECT client_id, packet_id FROM mqtt_inbound_qos2", reader =>
                ListFor(inboundQos2, reader.GetString(0)).Add((ushort)reader.GetInt32(1)));

            var wills = new Dictionary<string, MqttStoredWill>(StringComparer.Ordinal);
            Each(connection, "SELECT client_id, due_at_ms, expires_at_ms, packet FROM mqtt_wills", reader =>
                wills[reader.GetString(0)] = new MqttStoredWill(new MqttStoredMessage((byte[])reader[3], Time(reader, 2)), Time(reader, 1)!.Value));

            var sessions = new List<MqttStoredSession>();
            Each(connection, "SELECT client_id, expiry_seconds, expires_at_ms FROM mqtt_sessions", reader =>
            {
                var id = reader.GetString(0);
                sessions.Add(new MqttStoredSession(id, (uint)reader.GetInt64(1), Time(reader, 2),
                    subscriptions.GetValueOrDefault(id) ?? [], messages.GetValueOrDefault(id) ?? [],
                    inboundQos2.GetValueOrDefault(id) ?? [], wills.GetValueOrDefault(id)));
            });

            return new MqttStoredState(retained, sessions);
        });
    }

    public Task SetRetainedAsync(string topic, MqttStoredMessage message) => Write(c =>
    {
        var command = c.Command("INSERT OR REPLACE INTO mqtt_retained(topic, expires_at_ms, packet) VALUES($t, $e, $p)");
        command.Parameters.AddWithValue("$t", topic);
        command.Parameters.AddWithValue("$e", Millis(message.ExpiresAt));
        command.Parameters.AddWithValue("$p", message.Packet);
        command.ExecuteNonQuery();
    });

    public Task ClearRetainedAsync(string topic) => Write(c =>
    {
        var command = c.Command("DELETE FROM mqtt_retained WHERE topic = $t");
        command.Parameters.AddWithValue("$t", topic);
        command.ExecuteNonQuery();
    });

    public Task SaveSessionAsync(string clientId, uint expirySeconds, DateTimeOffset? expiresAt) => Write(c =>
    {
        var command = c.Command("INSERT OR REPLACE INTO mqtt_sessions(client_id, expiry_seconds, expires_at_ms) VALUES($c, $s, $e)");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$s", (long)expirySeconds);
        command.Parameters.AddWithValue("$e", Millis(expiresAt));
        command.ExecuteNonQuery();
    });

    public Task DeleteSessionAsync(string clientId) => Write(c =>
    {
        foreach (var table in (string[])["mqtt_sessions", "mqtt_subscriptions", "mqtt_messages", "mqtt_inbound_qos2", "mqtt_wills"])
        {
            var command = c.Command($"DELETE FROM {table} WHERE client_id = $c");
            command.Parameters.AddWithValue("$c", clientId);
            command.ExecuteNonQuery();
        }
    });

    public Task SaveSubscriptionAsync(string clientId, string filter, SubscriptionOptions options) => Write(c =>
    {
        var command = c.Command("""
            INSERT OR REPLACE INTO mqtt_subscriptions(client_id, filter, qos, no_local, retain_as_published, retain_handling, subscription_id)
            VALUES($c, $f, $q, $n, $r, $h, $i)
            """);
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$f", filter);
        command.Parameters.AddWithValue("$q", (int)options.Qos);
        command.Parameters.AddWithValue("$n", options.NoLocal);
        command.Parameters.AddWithValue("$r", options.RetainAsPublished);
        command.Parameters.AddWithValue("$h", (int)options.RetainHandling);
        command.Parameters.AddWithValue("$i", options.SubscriptionIdentifier);
        command.ExecuteNonQuery();
    });

    public Task DeleteSubscriptionAsync(string clientId, string filter) => Write(c =>
    {
        var command = c.Command("DELETE FROM mqtt_subscriptions WHERE client_id = $c AND filter = $f");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$f", filter);
        command.ExecuteNonQuery();
    });

    public Task AddMessageAsync(string clientId, long sequence, ushort packetId, MqttStoredMessage message) => Write(c =>
    {
        var command = c.Command("INSERT OR REPLACE INTO mqtt_messages(client_id, sequence, packet_id, released, expires_at_ms, packet) VALUES($c, $s, $i, 0, $e, $p)");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$s", sequence);
        command.Parameters.AddWithValue("$i", (int)packetId);
        command.Parameters.AddWithValue("$e", Millis(message.ExpiresAt));
        command.Parameters.AddWithValue("$p", message.Packet);
        command.ExecuteNonQuery();
    });

    public Task UpdateMessageAsync(string clientId, long sequence, ushort packetId, bool released) => Write(c =>
    {
        var command = c.Command("UPDATE mqtt_messages SET packet_id = $i, released = $r WHERE client_id = $c AND sequence = $s");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$s", sequence);
        command.Parameters.AddWithValue("$i", (int)packetId);
        command.Parameters.AddWithValue("$r", released);
        command.ExecuteNonQuery();
    });

    public Task RemoveMessageAsync(string clientId, long sequence) => Write(c =>
    {
        var command = c.Command("DELETE FROM mqtt_messages WHERE client_id = $c AND sequence = $s");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$s", sequence);
        command.ExecuteNonQuery();
    });

    public Task AddInboundQos2Async(string clientId, ushort packetId) => Write(c =>
    {
        var command = c.Command("INSERT OR IGNORE INTO mqtt_inbound_qos2(client_id, packet_id) VALUES($c, $i)");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$i", (int)packetId);
        command.ExecuteNonQuery();
    });

    public Task RemoveInboundQos2Async(string clientId, ushort packetId) => Write(c =>
    {
        var command = c.Command("DELETE FROM mqtt_inbound_qos2 WHERE client_id = $c AND packet_id = $i");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$i", (int)packetId);
        command.ExecuteNonQuery();
    });

    public Task SaveWillAsync(string clientId, MqttStoredMessage will, DateTimeOffset dueAt) => Write(c =>
    {
        var command = c.Command("INSERT OR REPLACE INTO mqtt_wills(client_id, due_at_ms, expires_at_ms, packet) VALUES($c, $d, $e, $p)");
        command.Parameters.AddWithValue("$c", clientId);
        command.Parameters.AddWithValue("$d", dueAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$e", Millis(will.ExpiresAt));
        command.Parameters.AddWithValue("$p", will.Packet);
        command.ExecuteNonQuery();
    });

    public Task DeleteWillAsync(string clientId) => Write(c =>
    {
        var command = c.Command("DELETE FROM mqtt_wills WHERE client_id = $c");
        command.Parameters.AddWithValue("$c", clientId);
        command.ExecuteNonQuery();
    });

    /// <summary>The broker calls in under its locks and expects a task, never a throw (e.g. while the host shuts down).</summary>
    private Task Write(Action<SqliteWriteContext> work)
    {
        try
        {
            return database.WriteAsync(c =>
            {
                work(c);
                return true;
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            return Task.FromException(ex);
        }
    }

    private static void Each(SqliteConnection connection, string sql, Action<SqliteDataReader> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read()) row(reader);
    }

    private static List<T> ListFor<T>(Dictionary<string, List<T>> lists, string key)
    {
        if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
        return list;
    }

    private static object Millis(DateTimeOffset? at) => at is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
