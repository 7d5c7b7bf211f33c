using System.IO.Pipelines;
using System.Net.WebSockets;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>
/// Adapts a WebSocket to the <see cref="IDuplexPipe"/> the connection loop reads (5.0 §6: binary frames only;
/// a frame may carry part of a packet or several packets).
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket) : IDuplexPipe
{
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly CancellationTokenSource _aborted = new();

    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;

    public void Abort()
    {
        _aborted.Cancel();
        socket.Abort();
    }

    /// <summary>Runs <paramref name="connection"/> over the socket until both ends are done.</summary>
    public async Task RunAsync(Func<Task> connection)
    {
        var receiving = ReceiveAsync();
        var sending = SendAsync();
        try
        {
            await connection();
            await sending;
        }
        finally
        {
            await _aborted.CancelAsync();
            await receiving;
            _aborted.Dispose();
        }
    }

    private async Task ReceiveAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var result = await socket.ReceiveAsync(memory, _aborted.Token);
                if (result.MessageType != WebSocketMessageType.Binary) break; // close, or text which MQTT forbids [MQTT-6.0.0-1]
                writer.Advance(result.Count);
                if ((await writer.FlushAsync(_aborted.Token)).IsCompleted) break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Treated as end of stream below.
        }

        await writer.CompleteAsync();
    }

    private async Task SendAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_aborted.Token);
                foreach (var segment in result.Buffer)
                {
                    await socket.SendAsync(segment, WebSocketMessageType.Binary, endOfMessage: true, _aborted.Token);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; the connection loop sees its input end.
        }

        await reader.CompleteAsync();
    }
}
