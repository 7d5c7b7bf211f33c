using System.Diagnostics;
using System.Text;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Silo.Tests.Edge;

/// <summary>The Silo as a child process (the apphost copied next to the tests), so a test can kill it like `kill -9`.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(TempDirectory data, int httpPort, int mqttPort)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "GridGov.Realtime.Silo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data.Path,
        };
        info.ArgumentList.Add($"--Silo:DataDirectory={data.Path}");
        info.ArgumentList.Add($"--Auth:InitialAdminPassword={SiloFactory.AdminPassword}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Information");
        foreach (var (key, value) in BrokerRig.Settings(httpPort, mqttPort)) info.ArgumentList.Add($"--{key}={value}");
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int MqttPort { get; private init; }

    public int HttpPort { get; private init; }

    /// <summary>Starts the Silo on <paramref name="data"/> and returns once Kestrel listens (hosted services, the broker's restore included, ran first).</summary>
    public static async Task<SiloProcess> StartAsync(TempDirectory data)
    {
        var (httpPort, mqttPort) = (BrokerRig.FreePort(), BrokerRig.FreePort());
        var silo = new SiloProcess(data, httpPort, mqttPort) { MqttPort = mqttPort, HttpPort = httpPort };
        try
        {
            var exited = silo._process.WaitForExitAsync(TestContext.Current.CancellationToken);
            if (await Task.WhenAny(silo._listening.Task, exited).WaitAsync(Timeout, TestContext.Current.CancellationToken) == exited)
            {
                throw new InvalidOperationException($"The Silo exited at start-up; output:\n{silo.Output}");
            }
        }
        catch (TimeoutException)
        {
            await silo.DisposeAsync();
            throw new TimeoutException($"The Silo did not start within {Timeout}; output:\n{silo.Output}");
        }

        return silo;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing but what is already on disk survives.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
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
        lock (_output) _output.AppendLine(line);
        if (line.Contains("Application started", StringComparison.Ordinal)) _listening.TrySetResult();
    }
}
