using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GridGov.Realtime.Edge;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Edge;

/// <summary>
/// Settings for a Silo whose broker lets anonymous test clients use any topic (a closed rig, like mosquitto's
/// allow_anonymous), on loopback ports; and the in-process host on a data directory that outlives it.
/// </summary>
internal static class BrokerRig
{
    public static Dictionary<string, string?> Settings(int httpPort, int mqttPort) => new()
    {
        ["Silo:HttpAddress"] = "127.0.0.1",
        ["Silo:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        ["Edge:ListenAddress"] = "127.0.0.1",
        ["Edge:TcpPort"] = mqttPort.ToString(CultureInfo.InvariantCulture),
        ["Edge:ConnectionsPerSecondPerAddress"] = "0",
        ["Edge:AllowAnonymous"] = "true",
        ["Edge:AnonymousAccess:Publish:0"] = "#",
        ["Edge:AnonymousAccess:Subscribe:0"] = "#",
    };

    /// <summary>The real host on Kestrel over <paramref name="data"/>; the broker's MQTT port is returned.</summary>
    public static (SiloFactory Silo, int MqttPort) Start(TempDirectory data)
    {
        var silo = new SiloFactory(Settings(FreePort(), 0), data.Path);
        silo.UseKestrel();
        silo.StartServer();
        return (silo, silo.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs SQL on the stopped host's database file (what a clock moving on while the process is down looks like).</summary>
    public static long Sql(TempDirectory data, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data.Path, "gridgov.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }
}
