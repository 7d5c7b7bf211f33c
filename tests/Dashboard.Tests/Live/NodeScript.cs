using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace GridGov.Realtime.Dashboard.Tests.Live;

/// <summary>
/// A script from tests/js run with node; its stdout is one JSON object per line, read here as events the
/// test awaits (with a safety limit, never a sleep). Disposing says "exit" on stdin, then kills if need be.
/// </summary>
public sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private NodeScript(Process process) => _process = process;

    public static string JsDirectory { get; } = FindJsDirectory();

    public static NodeScript Start(string script, object arguments)
    {
        if (!Directory.Exists(Path.Combine(JsDirectory, "node_modules")))
            Assert.Fail($"{JsDirectory}/node_modules is missing: run scripts/install-test-deps.sh (./test.sh does).");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = JsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        var node = new NodeScript(new Process { StartInfo = info, EnableRaisingEvents = true });
        node._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { node._events.Writer.TryComplete(); return; }
            if (e.Data.StartsWith('{')) node._events.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
        };
        node._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (node._stderr) node._stderr.Add(e.Data); };
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The next event whose "event" is <paramref name="name"/>; events before it are returned too, in order.</summary>
    /// <summary>
    /// The lines without the region counters a subscribed scope receives whenever anything in it changes (other tests'
    /// cases and workers in the shared host publish them at any moment), for assertions that nothing else arrived.
    /// </summary>
    public static List<JsonElement> ExceptCounters(List<JsonElement> lines) =>
        [.. lines.Where(l => !(l.TryGetProperty("event", out var e) && e.GetString() == "Counters"))];

    public async Task<(JsonElement Match, List<JsonElement> Before)> UntilAsync(string name, int seconds = 30)
    {
        var before = new List<JsonElement>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(limit.Token))
            {
                if (e.GetProperty("event").GetString() == name) return (e, before);
                before.Add(e);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }
        Assert.Fail($"No '{name}' event within {seconds} s; got [{string.Join(", ", before.Select(b => b.GetRawText()))}]; stderr: {Stderr}");
        throw new UnreachableException();
    }

    /// <summary>Events received so far and not yet taken.</summary>
    public List<JsonElement> Drain()
    {
        var list = new List<JsonElement>();
        while (_events.Reader.TryRead(out var e)) list.Add(e);
        return list;
    }

    public string Stderr
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await _process.StandardInput.WriteLineAsync("exit");
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static string FindJsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GridGov.Realtime.sln"))) return Path.Combine(dir.FullName, "tests", "js");
        }
        throw new InvalidOperationException($"No GridGov.Realtime.sln above {AppContext.BaseDirectory}.");
    }
}
