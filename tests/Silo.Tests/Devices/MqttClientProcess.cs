using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GridGov.Realtime.Silo.Tests.Devices;

/// <summary>mosquitto_pub / mosquitto_sub as a child process; waits on its output lines and exit with a timeout, never sleeps.</summary>
internal sealed class MqttClientProcess : IAsyncDisposable
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    private MqttClientProcess(string tool, int port, IEnumerable<string> args)
    {
        // stdbuf: mosquitto's stdout is block-buffered on a pipe, and the lines are the signals waited on.
        var info = new ProcessStartInfo("stdbuf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-oL", "-eL", tool, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", .. args]) info.ArgumentList.Add(a);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static MqttClientProcess Start(string tool, int port, params string[] args) => new(tool, port, args);

    /// <summary>Runs mosquitto_pub to completion: its exit code and everything it printed.</summary>
    public static async Task<(int Code, string Output)> PublishAsync(int port, params string[] args)
    {
        await using var pub = Start("mosquitto_pub", port, args);
        var code = await pub.WaitForExitAsync();
        return (code, pub.Output);
    }

    public async Task WaitForLineAsync(string contains)
    {
        TaskCompletionSource seen;
        lock (_output)
        {
            if (_output.ToString().Contains(contains, StringComparison.Ordinal)) return;
            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((l => l.Contains(contains, StringComparison.Ordinal), seen));
        }
        try
        {
            await seen.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No line containing '{contains}' within {Timeout}; output:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The client did not exit within {Timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var w in _waiters.Where(w => w.Match(line)).ToList())
            {
                w.Seen.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }
}
