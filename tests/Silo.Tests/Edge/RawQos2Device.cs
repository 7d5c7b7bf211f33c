using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GridGov.Realtime.Silo.Tests.Edge;

/// <summary>
/// A 5.0 client written byte by byte, for what no real client lets a test choose: resending a QoS 2 PUBLISH with DUP,
/// or sending PUBREL, on a new connection after the server restarted (5.0 §4.3.3, §4.4). Anonymous, persistent
/// (Clean Start 0, Session Expiry 300 s). Packets here are small, so every Remaining Length fits in one byte.
/// </summary>
internal sealed class RawQos2Device : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Connects and returns the device with CONNACK's Session Present flag.</summary>
    public static async Task<(RawQos2Device Device, bool SessionPresent)> ConnectAsync(int port, string clientId)
    {
        var device = new RawQos2Device();
        await device._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
        // Protocol name, level 5, flags 0 (Clean Start 0), keep-alive 0, properties: Session Expiry Interval (0x11) = 300.
        byte[] header = [0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 0, 0, 0, 5, 0x11, 0, 0, 0x01, 0x2C];
        await device.SendAsync(0x10, [.. header, .. Utf8String(clientId)]);
        var (type, body) = await device.ReceiveAsync();
        Assert.Equal((0x20, (byte)0), (type, body[1])); // CONNACK, reason Success
        return (device, (body[0] & 1) == 1);
    }

    public Task PublishQos2Async(ushort packetId, string topic, string payload, bool dup = false) =>
        SendAsync((byte)(0x34 | (dup ? 0x08 : 0)), [.. Utf8String(topic), (byte)(packetId >> 8), (byte)packetId, 0, .. Encoding.UTF8.GetBytes(payload)]);

    public Task PubRelAsync(ushort packetId) => SendAsync(0x62, [(byte)(packetId >> 8), (byte)packetId]);

    /// <summary>The next ack of <paramref name="type"/> (0x50 PUBREC, 0x70 PUBCOMP): its packet id and reason code (0 when omitted).</summary>
    public async Task<(ushort PacketId, byte Reason)> ExpectAckAsync(byte type)
    {
        var (actual, body) = await ReceiveAsync();
        Assert.Equal(type, actual);
        return ((ushort)(body[0] << 8 | body[1]), body.Length > 2 ? body[2] : (byte)0);
    }

    private static byte[] Utf8String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    private async Task SendAsync(byte first, byte[] body)
    {
        Assert.True(body.Length < 128);
        await _socket.SendAsync((byte[])[first, (byte)body.Length, .. body], TestContext.Current.CancellationToken);
    }

    private async Task<(byte Type, byte[] Body)> ReceiveAsync()
    {
        var head = await ReadAsync(2);
        Assert.True(head[1] < 128, "a longer packet than this client expects");
        return ((byte)(head[0] & 0xF0), await ReadAsync(head[1]));
    }

    private async Task<byte[]> ReadAsync(int count)
    {
        var buffer = new byte[count];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        for (var read = 0; read < count;)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), cts.Token);
            if (n == 0) throw new EndOfStreamException("The server closed the connection.");
            read += n;
        }

        return buffer;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
