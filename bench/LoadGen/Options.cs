using System.Globalization;
using System.Net;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.LoadGen;

public enum Scenario
{
    PubSub,
    Ingest,
    Idle,
    Terminals,
}

/// <summary>Command-line options. Every run is bounded: warm-up + duration + drain, then it stops by itself.</summary>
public sealed class Options
{
    public Scenario Scenario { get; set; }
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    public MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V311;
    public int QoS { get; set; } = 1;
    public int Publishers { get; set; } = -1;
    public int Subscribers { get; set; } = -1;
    public int Payload { get; set; } = 64;
    public double Duration { get; set; } = 10;
    public double Warmup { get; set; } = 2;
    public double Drain { get; set; } = 10;
    public int Window { get; set; } = 16;
    public double Rate { get; set; }
    public long MaxBacklog { get; set; } = -1;
    public string? Topic { get; set; }
    public bool TopicPerPublisher { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public ushort KeepAlive { get; set; } = 60;
    public bool CleanSession { get; set; } = true;
    public string ClientIdPrefix { get; set; } = "lg" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    public int Connections { get; set; } = 1000;
    public double ConnectRate { get; set; } = 5000;
    public int ConnectConcurrency { get; set; } = 256;
    public List<IPAddress> Sources { get; } = [];
    public int? BrokerPid { get; set; }
    public int Terminals { get; set; } = 100;
    public string? Credentials { get; set; }
    public bool Json { get; set; }
    public bool Quiet { get; set; }

    public const string Help = """
        loadgen — MQTT load generator (raw sockets, MQTT 3.1.1 and 5.0) for GridGov.Realtime's Edge and reference brokers.

        usage: loadgen <scenario> [options]

        scenarios
          pubsub     P publishers -> S subscribers on one topic (or one topic per publisher, wildcard subscribers).
                     Reports published/acknowledged/delivered msgs/s and pub->sub latency (timestamp in the payload).
          ingest     P publishers, no subscribers, QoS 1: acknowledged msgs/s (PUBACK rate) and ack latency.
          idle       N connections held idle with keep-alive over several loopback source addresses, connect rate
                     limited; reports how many are connected and the broker's RSS (--broker-pid) while holding.
          terminals  T grid-worker terminals publishing JSON position fixes {lat,lon,acc,spd,hdg,bat,ts} on
                     gridgov/v1/terminals/{workerId}/position, QoS 1, at --rate each or as fast as PUBACKs allow.

        connection
          --host ADDR              broker address, loopback only (default 127.0.0.1)
          --port N                 broker port (default 1883)
          --version 3.1.1|5        protocol version (default 3.1.1)
          --username U --password P
          --keepalive S            keep-alive seconds, PINGREQ when idle (default 60; 0 = off)
          --no-clean               clean session / clean start off (default on)
          --client-id-prefix S     client ids are PREFIX-p0, PREFIX-s0, ... (default lg<pid>)
          --sources LIST           client source addresses: 127.0.0.2-127.0.0.9 or a comma list (default: the OS's;
                                   idle: one per 25,000 connections from 127.0.0.2)
          --connect-rate R         new connections per second (default 5000)
          --broker-pid PID         read the broker's RSS and CPU from /proc/PID

        load
          --qos 0|1                publish QoS (default 1; ingest and terminals always 1)
          --publishers N           pubsub default 20, ingest default 100
          --subscribers N          pubsub default 1
          --payload BYTES          payload size (default 64; >= 8 carries the latency timestamp)
          --window N               QoS 1 in-flight PUBLISHes per connection; with --rate 0 each PUBACK releases the
                                   next PUBLISH ("as fast as PUBACKs allow"); QoS 0 batch size (default 16)
          --rate R                 msgs/s per publisher or terminal (default 0 = unlimited)
          --max-backlog N          pubsub: publishers pause while more than N messages per subscriber are published
                                   but not yet delivered, so a broker that PUBACKs faster than it delivers is measured
                                   at the rate it delivers, not by its queue (default publishers x window; 0 = off)
          --topic PREFIX           topic prefix (default loadgen/<pid>); pubsub topic is PREFIX/t
          --topic-per-publisher    publisher i uses PREFIX/t/i, subscribers subscribe to PREFIX/t/+
          --connections N          idle: connections to hold (default 1000)
          --terminals T            terminals: number of terminals (default 100)
          --credentials FILE       terminals: CSV of device credentials, "username,password" or
                                   "workerId,username,password" per line (header line optional)

        timing (every run stops by itself)
          --warmup S               seconds before measuring (default 2)
          --duration S             measured seconds (idle: hold time) (default 10)
          --drain S                max seconds to wait for outstanding acks/deliveries afterwards (default 10)

        output
          --json                   also print the result as one JSON line (last line of stdout)
          --quiet                  no per-second progress on stderr

        exit status: 0 ok; 2 bad options; 3 connections failed or were lost (the broker's CONNACK/DISCONNECT
        reason is printed); 4 QoS 1 messages were not delivered/acknowledged (a broken run, not a measurement).

        examples
          loadgen pubsub --port 18830 --qos 1 --publishers 20 --subscribers 1 --payload 64 --duration 10 --json
          loadgen ingest --port 18830 --publishers 100 --window 16 --duration 10
          loadgen idle --port 18830 --connections 15000 --connect-rate 5000 --duration 30 --broker-pid 1234
          loadgen terminals --port 1883 --version 5 --terminals 2000 --rate 1 --credentials devices.csv
        """;

    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            throw new HelpRequestedException();
        }

        var o = new Options
        {
            Scenario = args[0].ToLowerInvariant() switch
            {
                "pubsub" => Scenario.PubSub,
                "ingest" => Scenario.Ingest,
                "idle" => Scenario.Idle,
                "terminals" => Scenario.Terminals,
                _ => throw new OptionException($"unknown scenario '{args[0]}' (pubsub, ingest, idle, terminals)"),
            },
        };

        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new OptionException($"{name} needs a value");
            int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new OptionException($"{name}: not a non-negative integer");
            double Dbl() => double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new OptionException($"{name}: not a non-negative number");

            switch (name)
            {
                case "-h" or "--help": throw new HelpRequestedException();
                case "--host": o.Host = Next(); break;
                case "--port": o.Port = Int(); break;
                case "--version":
                    o.Version = Next() switch
                    {
                        "3.1.1" or "311" or "4" => MqttProtocolVersion.V311,
                        "5" or "5.0" => MqttProtocolVersion.V500,
                        var v => throw new OptionException($"--version: '{v}' is not 3.1.1 or 5"),
                    };
                    break;
                case "--qos": o.QoS = Int(); break;
                case "--publishers": o.Publishers = Int(); break;
                case "--subscribers": o.Subscribers = Int(); break;
                case "--payload": o.Payload = Int(); break;
                case "--duration": o.Duration = Dbl(); break;
                case "--warmup": o.Warmup = Dbl(); break;
                case "--drain": o.Drain = Dbl(); break;
                case "--window": o.Window = Int(); break;
                case "--rate": o.Rate = Dbl(); break;
                case "--max-backlog": o.MaxBacklog = Int(); break;
                case "--topic": o.Topic = Next(); break;
                case "--topic-per-publisher": o.TopicPerPublisher = true; break;
                case "--username": o.Username = Next(); break;
                case "--password": o.Password = Next(); break;
                case "--keepalive": o.KeepAlive = checked((ushort)Int()); break;
                case "--no-clean": o.CleanSession = false; break;
                case "--client-id-prefix": o.ClientIdPrefix = Next(); break;
                case "--connections": o.Connections = Int(); break;
                case "--connect-rate": o.ConnectRate = Dbl(); break;
                case "--sources": ParseSources(Next(), o.Sources); break;
                case "--broker-pid": o.BrokerPid = Int(); break;
                case "--terminals": o.Terminals = Int(); break;
                case "--credentials": o.Credentials = Next(); break;
                case "--json": o.Json = true; break;
                case "--quiet": o.Quiet = true; break;
                default: throw new OptionException($"unknown option '{name}' (see --help)");
            }
        }

        if (o.Publishers < 0)
        {
            o.Publishers = o.Scenario == Scenario.Ingest ? 100 : 20;
        }

        if (o.Subscribers < 0)
        {
            o.Subscribers = o.Scenario == Scenario.PubSub ? 1 : 0;
        }

        if (o.Scenario is Scenario.Ingest or Scenario.Terminals)
        {
            o.QoS = 1;
        }

        if (o.QoS > 1)
        {
            throw new OptionException("--qos: 0 or 1 (QoS 2 is not implemented)");
        }

        if (o.Window < 1 || o.Window > 16384)
        {
            throw new OptionException("--window: 1..16384");
        }

        if (o.ConnectRate <= 0)
        {
            throw new OptionException("--connect-rate must be > 0");
        }

        if (!IPAddress.TryParse(o.Host, out var host) || !IsLoopback(host))
        {
            throw new OptionException("--host must be a loopback IPv4 address (127.0.0.0/8)");
        }

        if (o.Sources.Any(s => !IsLoopback(s)))
        {
            throw new OptionException("--sources must be loopback addresses (127.0.0.0/8)");
        }

        if (o.Scenario == Scenario.Idle && o.Sources.Count == 0)
        {
            var count = Math.Max(1, (o.Connections + 24_999) / 25_000);
            for (var i = 0; i < count; i++)
            {
                o.Sources.Add(new IPAddress(new byte[] { 127, 0, 0, (byte)(2 + i) }));
            }
        }

        o.Topic ??= "loadgen/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return o;
    }

    private static bool IsLoopback(IPAddress a) =>
        a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && a.GetAddressBytes()[0] == 127;

    private static void ParseSources(string text, List<IPAddress> into)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                into.Add(IPAddress.Parse(part));
                continue;
            }

            var from = IPAddress.Parse(part[..dash]).GetAddressBytes();
            var to = IPAddress.Parse(part[(dash + 1)..]).GetAddressBytes();
            if (from[0] != to[0] || from[1] != to[1] || from[2] != to[2] || to[3] < from[3])
            {
                throw new OptionException($"--sources: bad range '{part}' (only the last byte may vary)");
            }

            for (int b = from[3]; b <= to[3]; b++)
            {
                into.Add(new IPAddress(new[] { from[0], from[1], from[2], (byte)b }));
            }
        }
    }
}

public sealed class OptionException(string message) : Exception(message);

public sealed class HelpRequestedException : Exception;
