using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.LoadGen;

/// <summary>Device credentials for one terminal.</summary>
public sealed record Credential(string WorkerId, string? Username, string? Password);

/// <summary>
/// A simulated grid worker's handheld terminal: a random walk starting within ±0.05° of the city centre (default: the
/// centre of the synthetic city that <c>bench/Benchmarks city</c> writes, so fixes land in its grids), encoded as the JSON position fix
/// {lat, lon, acc, spd, hdg, bat, ts} on gridgov/v1/terminals/{workerId}/position, straight into the send buffer.
/// </summary>
public sealed class Terminal
{
    public const int MaxPacketSize = 512;

    private readonly byte[] _topic;         // UTF-8, without the length prefix
    private double _lat;
    private double _lon;
    private double _heading;
    private double _battery = 100;
    private uint _rng;

    public const double DefaultCentreLat = 31.23;
    public const double DefaultCentreLon = 121.47;

    public Terminal(string workerId, int seed, double centreLat = DefaultCentreLat, double centreLon = DefaultCentreLon)
    {
        WorkerId = workerId;
        _topic = Encoding.UTF8.GetBytes($"gridgov/v1/terminals/{workerId}/position");
        if (_topic.Length > 256)
        {
            throw new OptionException($"worker id too long: {workerId}");
        }

        _rng = (uint)seed * 2654435761u | 1;
        _lat = centreLat + (Next() - 0.5) * 0.1;
        _lon = centreLon + (Next() - 0.5) * 0.1;
        _heading = Next() * 360;
    }

    public string WorkerId { get; }

    public string Topic => Encoding.UTF8.GetString(_topic);

    private double Next()
    {
        _rng ^= _rng << 13;
        _rng ^= _rng >> 17;
        _rng ^= _rng << 5;
        return _rng / 4294967296.0;
    }

    /// <summary>Writes one QoS 1 PUBLISH with the next fix; returns its size.</summary>
    public int WriteTo(Span<byte> into, ushort pid, MqttProtocolVersion version)
    {
        _heading = (_heading + (Next() - 0.5) * 30 + 360) % 360;
        var speed = 0.5 + Next() * 1.5;  // m/s, walking
        var rad = _heading * Math.PI / 180;
        _lat += Math.Cos(rad) * speed * 1e-5;
        _lon += Math.Sin(rad) * speed * 1e-5;
        _battery = Math.Max(5, _battery - 0.001);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Span<byte> json = stackalloc byte[192];
        var n = 0;
        Lit(json, ref n, "{\"lat\":"u8);
        Num(json, ref n, _lat, 6);
        Lit(json, ref n, ",\"lon\":"u8);
        Num(json, ref n, _lon, 6);
        Lit(json, ref n, ",\"acc\":"u8);
        Num(json, ref n, 3 + Next() * 10, 1);
        Lit(json, ref n, ",\"spd\":"u8);
        Num(json, ref n, speed, 2);
        Lit(json, ref n, ",\"hdg\":"u8);
        Num(json, ref n, _heading, 0);
        Lit(json, ref n, ",\"bat\":"u8);
        Num(json, ref n, Math.Floor(_battery), 0);
        Lit(json, ref n, ",\"ts\":"u8);
        Utf8Formatter.TryFormat(ts, json[n..], out var w);
        n += w;
        json[n++] = (byte)'}';

        var v5 = version == MqttProtocolVersion.V500;
        var remaining = 2 + _topic.Length + 2 + (v5 ? 1 : 0) + n;
        var pos = 0;
        into[pos++] = 0x32;                                       // PUBLISH, QoS 1
        pos += MqttVarInt.Write(into[pos..], (uint)remaining);
        BinaryPrimitives.WriteUInt16BigEndian(into[pos..], (ushort)_topic.Length);
        pos += 2;
        _topic.CopyTo(into[pos..]);
        pos += _topic.Length;
        BinaryPrimitives.WriteUInt16BigEndian(into[pos..], pid);
        pos += 2;
        if (v5)
        {
            into[pos++] = 0;                                      // no properties
        }

        json[..n].CopyTo(into[pos..]);
        return pos + n;
    }

    private static void Lit(Span<byte> into, ref int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(into[n..]);
        n += text.Length;
    }

    private static void Num(Span<byte> into, ref int n, double value, byte decimals)
    {
        Utf8Formatter.TryFormat(value, into[n..], out var w, new System.Buffers.StandardFormat('F', decimals));
        n += w;
    }

    /// <summary>Reads "username,password" or "workerId,username,password" lines; a header line is skipped.</summary>
    public static List<Credential> LoadCredentials(string path)
    {
        var list = new List<Credential>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split(',');
            if (list.Count == 0 && f.Any(x => x.Trim().Equals("password", StringComparison.OrdinalIgnoreCase)))
            {
                continue;   // header
            }

            list.Add(f.Length switch
            {
                2 => new Credential(f[0].Trim(), f[0].Trim(), f[1].Trim()),
                3 => new Credential(f[0].Trim(), f[1].Trim(), f[2].Trim()),
                _ => throw new OptionException($"{path}: expected 2 or 3 comma-separated fields: '{line}'"),
            });
        }

        return list;
    }
}
