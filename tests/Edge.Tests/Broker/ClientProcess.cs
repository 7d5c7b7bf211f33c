using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// A real MQTT client as a child process (mosquitto_pub / mosquitto_sub, or node with MQTT.js). Output lines are
/// waited on as signals with a timeout; nothing sleeps.
/// </summary>
internal sealed class ClientProcess : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _all = new();
    private readonly List<string> _backlog = [];

    private ClientProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data, "");
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, "ERR ");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_all) return _all.ToString(); }
    }

    public static ClientProcess Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        return new ClientProcess(Process.Start(info)!);
    }

    /// <summary>mosquitto_sub with -d so SUBACK shows up as a line to wait on.</summary>
    public static ClientProcess Mosquitto(string tool, int port, string version, params string[] args) =>
        // stdbuf: mosquitto's stdout is block-buffered on a pipe, and the lines are our signals.
        Start("stdbuf", ["-oL", "-eL", tool, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version, .. args]);

    public static ClientProcess Node() => Start("node", Path.Combine(RepoRoot, "tests", "js", "mqtt-scenario.mjs"));

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GridGov.Realtime.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private void OnLine(string? line, string prefix)
    {
        if (line is null) return;
        lock (_all) _all.Append(prefix).AppendLine(line);
        if (prefix.Length == 0) _lines.Writer.TryWrite(line);
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> predicate)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Timeout);
        // Lines skipped by an earlier wait stay available, so events can be awaited in any order.
        var earlier = _backlog.FindIndex(l => predicate(l));
        if (earlier >= 0)
        {
            var found = _backlog[earlier];
            _backlog.RemoveAt(earlier);
            return found;
        }

        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                if (predicate(line)) return line;
                _backlog.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching line within {Timeout}. Output so far:\n{Output}");
        }
    }

    public Task<string> WaitForAsync(string contains) => WaitForLineAsync(l => l.Contains(contains, StringComparison.Ordinal));

    /// <summary>For the node scenario client: the next event of this kind.</summary>
    public async Task<JsonObject> WaitForEventAsync(string ev)
    {
        var line = await WaitForLineAsync(l => l.StartsWith('{') && JsonNode.Parse(l)?["ev"]?.GetValue<string>() == ev);
        return JsonNode.Parse(line)!.AsObject();
    }

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Process did not exit within {Timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // drain the output events
        return _process.ExitCode;
    }

    /// <summary>Kills the process: its TCP connection drops without DISCONNECT.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
