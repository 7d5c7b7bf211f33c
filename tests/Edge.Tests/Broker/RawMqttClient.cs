using System.Buffers;
using System.Net;
using System.Net.Sockets;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>A bare socket speaking MQTT through the project's codec, for what real clients will not send (bad bytes).</summary>
internal sealed class RawMqttClient : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _count;

    public MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V500;

    public Socket Socket => _socket;

    public static async Task<RawMqttClient> ConnectAsync(int port)
    {
        var client = new RawMqttClient();
        await client._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
        return client;
    }

    public Task<ConnAckPacket> ConnectMqttAsync(string clientId, string user, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        ConnectMqttAsync(new ConnectPacket { ProtocolVersion = version, ClientId = clientId, CleanStart = true, UserName = user, Password = Password });

    /// <summary>Sends <paramref name="connect"/>, speaks its protocol version from then on, and returns the CONNACK.</summary>
    public async Task<ConnAckPacket> ConnectMqttAsync(ConnectPacket connect)
    {
        Version = connect.ProtocolVersion;
        await SendAsync(connect);
        return (await ReceiveAsync()).ConnAck;
    }

    /// <summary>The test accounts' password (<see cref="EdgeTestServer.Secret"/>) as CONNECT carries it.</summary>
    public static byte[] Password => System.Text.Encoding.UTF8.GetBytes(EdgeTestServer.Secret);

    public Task SendAsync(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, Version, writer);
        return SendRawAsync(writer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes, TestContext.Current.CancellationToken);

    /// <summary>The next packet (copied out of the buffer), or throws if the server closed the connection first.</summary>
    public async Task<MqttPacket> ReceiveAsync()
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer.AsMemory(0, _count).ToArray());
            var result = MqttDecoder.TryRead(sequence, Version, 0, out var consumed, out _, out var packet);
            if (result.Status == DecodeStatus.Packet)
            {
                var used = (int)sequence.Slice(0, consumed).Length;
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _count - used);
                _count -= used;
                return packet;
            }

            if (result.IsError) throw new InvalidOperationException(result.ToString());
            if (await ReadMoreAsync() == 0) throw new EndOfStreamException("Server closed the connection.");
        }
    }

    /// <summary>Reads until the server closes; returns every byte received before that.</summary>
    public async Task<byte[]> ReadUntilClosedAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(ClientProcess.Timeout);
        try
        {
            while (await ReadMoreAsync(cts.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // reset counts as closed
        }

        return _buffer.AsSpan(0, _count).ToArray();
    }

    private async Task<int> ReadMoreAsync(CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, cancellationToken);
        cts.CancelAfter(ClientProcess.Timeout);
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_count), cts.Token);
        _count += n;
        return n;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
