using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GridGov.Realtime.Edge.Codec;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Silo.Demo;

/// <summary>
/// A minimal MQTT 3.1.1 client for the demo's simulated terminals: CONNECT with credentials and a will,
/// QoS 1 publishes awaited until their PUBACK, and an abrupt close that makes the broker publish the
/// will (a terminal losing its network). It speaks real MQTT over TCP to the server's own broker, so
/// the demo exercises exactly the path real handheld terminals take.
/// </summary>
internal sealed class MqttTerminalClient : IAsyncDisposable
{
    private const MqttProtocolVersion Version = MqttProtocolVersion.V311;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly Dictionary<ushort, TaskCompletionSource> _pendingAcks = [];
    private readonly TaskCompletionSource<MqttReasonCode> _connAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closed = new();
    private Task _receiveLoop = Task.CompletedTask;
    private ushort _nextPacketId;

    private MqttTerminalClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public bool IsConnected => !_closed.IsCancellationRequested;

    public static async Task<MqttTerminalClient> ConnectAsync(
        EndPoint broker, string clientId, string userName, string password, MqttWill? will, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(broker, cancellationToken);
        var client = new MqttTerminalClient(socket);
        client._receiveLoop = client.ReceiveAsync();
        await client.SendAsync(new ConnectPacket
        {
            ProtocolVersion = Version,
            ClientId = clientId,
            CleanStart = true,
            KeepAlive = (ushort)keepAlive.TotalSeconds,
            UserName = userName,
            Password = Encoding.UTF8.GetBytes(password),
            Will = will,
        }, cancellationToken);
        var code = await client._connAck.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        if (code != MqttReasonCode.Success)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"The broker refused terminal {clientId}: {code}.");
        }
        return client;
    }

    /// <summary>Publishes at QoS 1 and completes when the broker's PUBACK arrives (the message is then durable).</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ushort id;
        lock (_pendingAcks)
        {
            do { id = ++_nextPacketId; } while (id == 0 || _pendingAcks.ContainsKey(id));
            _pendingAcks[id] = acked;
        }
        var packet = new PublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce,
            PacketId = id,
            Topic = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(topic)),
            Payload = new ReadOnlySequence<byte>(payload),
        };
        await SendAsync(packet, cancellationToken);
        await acked.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Drops the connection without DISCONNECT, as a terminal losing coverage does; the broker publishes the will.</summary>
    public void Abort()
    {
        _closed.Cancel();
        _socket.Close(0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed.IsCancellationRequested)
        {
            try
            {
                await SendAsync(new DisconnectPacket(), CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // Already gone: nothing to say goodbye to.
            }
            _closed.Cancel();
        }
        await _stream.DisposeAsync();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _sendGate.Dispose();
        _closed.Dispose();
    }

    private async Task SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        MqttEncoder.Write(packet, Version, buffer);
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var reader = PipeReader.Create(_stream);
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                var read = await reader.ReadAsync(_closed.Token);
                var buffer = read.Buffer;
                var consumed = buffer.Start;
                var examined = buffer.End;
                try
                {
                    while (true)
                    {
                        var result = MqttDecoder.TryRead(buffer, Version, 0, out var used, out var seen, out var packet);
                        if (result.Status == DecodeStatus.NeedMoreData) { examined = seen; break; }
                        if (result.Status == DecodeStatus.Error) throw new InvalidDataException($"Broker sent a malformed packet: {result.Message}");
                        Handle(packet);
                        buffer = buffer.Slice(used);
                        consumed = used;
                        examined = used;
                    }
                }
                finally
                {
                    reader.AdvanceTo(consumed, examined);
                }
                if (read.IsCompleted) break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            // The connection ended; pending publishes fail below.
        }
        finally
        {
            _closed.Cancel();
            _connAck.TrySetException(new IOException("The broker closed the connection."));
            lock (_pendingAcks)
            {
                foreach (var pending in _pendingAcks.Values) pending.TrySetException(new IOException("The broker closed the connection."));
                _pendingAcks.Clear();
            }
            await reader.CompleteAsync();
        }
    }

    private void Handle(in MqttPacket packet)
    {
        switch (packet.Type)
        {
            case MqttPacketType.ConnAck:
                _connAck.TrySetResult(packet.ConnAck.ReasonCode);
                break;
            case MqttPacketType.PubAck:
                TaskCompletionSource? waiting;
                lock (_pendingAcks)
                {
                    if (_pendingAcks.Remove(packet.Ack.PacketId, out waiting)) { }
                }
                waiting?.TrySetResult();
                break;
        }
    }
}
