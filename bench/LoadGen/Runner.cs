using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.LoadGen;

/// <summary>Runs one scenario: connect, warm up, measure, drain, report. Returns the process exit code.</summary>
public sealed class Runner(Options o)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<MqttConnection> _subs = [];
    private readonly List<MqttConnection> _pubs = [];
    private readonly List<MqttConnection> _all = [];
    private readonly List<Task> _loops = [];
    private RunState _run = null!;

    public async Task<int> RunAsync()
    {
        _run = new RunState(latencyInPayload: o.Scenario == Scenario.PubSub && o.Payload >= 8)
        {
            MaxBacklog = o.MaxBacklog < 0 ? (long)o.Publishers * o.Window : o.MaxBacklog,
            SubscriberCount = o.Scenario == Scenario.PubSub ? o.Subscribers : 0,
        };
        var broker = new IPEndPoint(IPAddress.Parse(o.Host), o.Port);
        var result = new Dictionary<string, object?>
        {
            ["scenario"] = o.Scenario.ToString().ToLowerInvariant(),
            ["broker"] = $"{o.Host}:{o.Port}",
            ["version"] = o.Version == MqttProtocolVersion.V500 ? "5" : "3.1.1",
        };

        // ---- connect (the pinger runs from the start: a slow connect phase must not outlast early keep-alives)
        var plan = BuildPlan(result);
        using var pingCts = new CancellationTokenSource();
        var pinger = o.KeepAlive > 0 ? PingLoopAsync(pingCts.Token) : Task.CompletedTask;
        var connectWatch = Stopwatch.StartNew();
        var failures = await ConnectAllAsync(broker, plan).ConfigureAwait(false);
        connectWatch.Stop();
        var connected = plan.Count - failures.Count;
        result["connections"] = connected;
        result["connect_failures"] = failures.Count;
        result["connect_seconds"] = Math.Round(connectWatch.Elapsed.TotalSeconds, 3);
        Log($"connected {connected}/{plan.Count} in {connectWatch.Elapsed.TotalSeconds:F2} s");
        if (failures.Count > 0)
        {
            foreach (var f in failures.Take(10))
            {
                Console.Error.WriteLine($"connect failed: {f}");
            }

            await pingCts.CancelAsync().ConfigureAwait(false);
            _run.ShuttingDown = true;
            CloseAll();
            result["error"] = failures[0];
            Emit(result, null);
            return 3;
        }

        // ---- run
        StartLoops();
        int exit;
        if (o.Scenario == Scenario.Idle)
        {
            exit = await HoldIdleAsync(result).ConfigureAwait(false);
        }
        else
        {
            exit = await MeasureAsync(result).ConfigureAwait(false);
        }

        await pingCts.CancelAsync().ConfigureAwait(false);
        await pinger.ConfigureAwait(false);
        _run.ShuttingDown = true;
        CloseAll();
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(2000)).ConfigureAwait(false);

        if (_run.Lost > 0)
        {
            foreach (var e in _run.Errors)
            {
                Console.Error.WriteLine($"lost: {e}");
            }

            result["error"] = _run.Errors.TryPeek(out var first) ? first : "connections lost";
            exit = Math.Max(exit, 3);
        }

        result["connections_lost"] = _run.Lost;
        Emit(result, exit == 0 ? null : "BROKEN RUN (see errors above); not a measurement");
        return exit;
    }

    private sealed record Planned(MqttConnection Conn, ConnectPacket Connect, IPAddress? Source, string? Subscribe);

    private List<Planned> BuildPlan(Dictionary<string, object?> result)
    {
        var plan = new List<Planned>();
        IPAddress? SourceFor(int i) => o.Sources.Count == 0 ? null : o.Sources[i % o.Sources.Count];
        ConnectPacket Connect(string id, string? user, string? password) => new()
        {
            ProtocolVersion = o.Version,
            ClientId = id,
            CleanStart = o.CleanSession,
            KeepAlive = o.KeepAlive,
            UserName = user,
            Password = password is null ? null : System.Text.Encoding.UTF8.GetBytes(password),
        };

        var topic = o.Topic + "/t";
        var index = 0;
        switch (o.Scenario)
        {
            case Scenario.PubSub:
            case Scenario.Ingest:
                for (var i = 0; i < o.Subscribers; i++)
                {
                    var c = new MqttConnection(_run, index++, o.Version, 64 * 1024);
                    _subs.Add(c);
                    plan.Add(new Planned(c, Connect($"{o.ClientIdPrefix}-s{i}", o.Username, o.Password), SourceFor(plan.Count),
                        o.TopicPerPublisher ? topic + "/+" : topic));
                }

                for (var i = 0; i < o.Publishers; i++)
                {
                    var c = new MqttConnection(_run, index++, o.Version, 4 * 1024);
                    c.SetupPublisher(o.TopicPerPublisher ? $"{topic}/{i}" : topic, o.QoS, o.Payload, o.Window, _run.LatencyInPayload);
                    _pubs.Add(c);
                    plan.Add(new Planned(c, Connect($"{o.ClientIdPrefix}-p{i}", o.Username, o.Password), SourceFor(plan.Count), null));
                }

                result["qos"] = o.QoS;
                result["publishers"] = o.Publishers;
                result["subscribers"] = o.Subscribers;
                result["payload"] = o.Payload;
                result["window"] = o.Window;
                result["rate_per_publisher"] = o.Rate;
                result["topic_per_publisher"] = o.TopicPerPublisher;
                result["max_backlog"] = _run.MaxBacklog;
                break;
            case Scenario.Idle:
                for (var i = 0; i < o.Connections; i++)
                {
                    var c = new MqttConnection(_run, index++, o.Version, 64);
                    _subs.Add(c);
                    plan.Add(new Planned(c, Connect($"{o.ClientIdPrefix}-i{i}", o.Username, o.Password), SourceFor(i), null));
                }

                result["requested"] = o.Connections;
                result["keepalive"] = o.KeepAlive;
                result["sources"] = string.Join(',', o.Sources);
                break;
            case Scenario.Terminals:
                var creds = o.Credentials is null ? null : Terminal.LoadCredentials(o.Credentials);
                if (creds is not null && creds.Count < o.Terminals)
                {
                    throw new OptionException($"--credentials: {creds.Count} credentials for {o.Terminals} terminals");
                }

                for (var i = 0; i < o.Terminals; i++)
                {
                    var cred = creds?[i] ?? new Credential($"w{i:D6}", o.Username, o.Password);
                    var c = new MqttConnection(_run, index++, o.Version, 4 * 1024);
                    c.SetupTerminal(new Terminal(cred.WorkerId, i + 1), o.Window);
                    _pubs.Add(c);
                    plan.Add(new Planned(c, Connect($"term-{cred.WorkerId}", cred.Username, cred.Password), SourceFor(i), null));
                }

                result["qos"] = 1;
                result["terminals"] = o.Terminals;
                result["window"] = o.Window;
                result["rate_per_terminal"] = o.Rate;
                break;
        }

        _all.AddRange(_subs);
        _all.AddRange(_pubs);
        return plan;
    }

    /// <summary>Connects (and subscribes) at most --connect-rate per second, --connect-concurrency at a time.</summary>
    private async Task<List<string>> ConnectAllAsync(IPEndPoint broker, List<Planned> plan)
    {
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(o.ConnectConcurrency);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30 + plan.Count / o.ConnectRate));
        var tasks = new List<Task>(plan.Count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < plan.Count; i++)
        {
            var due = i / o.ConnectRate - Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (due > 0.002)
            {
                await Task.Delay(TimeSpan.FromSeconds(due)).ConfigureAwait(false);
            }

            await gate.WaitAsync().ConfigureAwait(false);
            var p = plan[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await p.Conn.ConnectAsync(broker, p.Source, p.Connect, cts.Token).ConfigureAwait(false);
                    if (p.Subscribe is not null)
                    {
                        await p.Conn.SubscribeAsync(p.Subscribe, o.QoS, cts.Token).ConfigureAwait(false);
                    }

                    p.Conn.Ready = true;
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add($"{p.Connect.ClientId}: {e.Message}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));

            if (failures.Count > 0)
            {
                break;   // a broker refusing connections gives no measurement; stop early
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return failures;
    }

    private void StartLoops()
    {
        foreach (var s in _subs)
        {
            _loops.Add(Task.Run(() => s.ReceiveLoopAsync(ackClocked: false)));
        }

        var ackClocked = o.QoS == 1 && o.Rate == 0;
        var phase = new Random(42);
        foreach (var p in _pubs)
        {
            _loops.Add(Task.Run(() => p.ReceiveLoopAsync(ackClocked)));
            if (!ackClocked)
            {
                var delay = o.Rate > 0 ? (int)(phase.NextDouble() * Math.Min(1000, 1000 / o.Rate)) : 0;
                _loops.Add(Task.Run(() => p.SendLoopAsync(o.Rate, delay)));
            }
        }
    }

    private async Task PingLoopAsync(CancellationToken ct)
    {
        var idleMs = o.KeepAlive * 1000L / 2;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(1000, ct).ConfigureAwait(false);
                var now = Environment.TickCount64;
                for (var i = 0; i < _all.Count; i++)
                {
                    _all[i].PingIfIdle(now, idleMs);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private readonly record struct Snapshot(long Published, long Acked, long Delivered, long Ticks, TimeSpan SelfCpu, double BrokerCpuSeconds);

    private Snapshot Take()
    {
        long pub = 0, ack = 0, del = 0;
        foreach (var c in _pubs)
        {
            pub += Volatile.Read(ref c.Published);
            ack += Volatile.Read(ref c.Acked);
        }

        foreach (var c in _subs)
        {
            del += Volatile.Read(ref c.Delivered);
        }

        using var self = Process.GetCurrentProcess();
        return new Snapshot(pub, ack, del, Stopwatch.GetTimestamp(), self.TotalProcessorTime, ProcInfo.CpuSeconds(o.BrokerPid));
    }

    private async Task<int> MeasureAsync(Dictionary<string, object?> result)
    {
        var start = Stopwatch.GetTimestamp();
        var last = Take();
        Snapshot? begin = null;
        Snapshot end;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var nextTick = Math.Floor(elapsed) + 1;
            var boundary = begin is null ? o.Warmup : o.Warmup + o.Duration;
            var wait = Math.Min(nextTick, boundary) - elapsed;
            if (wait > 0)
            {
                // Whole milliseconds, rounded up: a sub-millisecond wait rounds down to Delay(0) and printed the same
                // second again with a near-zero interval (rates of 0/s and a bogus CPU figure).
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait * 1000))).ConfigureAwait(false);
            }

            var now = Take();
            elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var phase = begin is null ? "warmup" : "measure";
            if (begin is null && elapsed >= o.Warmup - 1e-3)
            {
                _run.Recording = true;
                begin = now;
            }
            else if (begin is not null && elapsed >= o.Warmup + o.Duration - 1e-3)
            {
                _run.Recording = false;
                _run.StopPublishing = true;
                end = now;
                Progress(last, now, elapsed, phase);
                break;
            }

            Progress(last, now, elapsed, phase);
            last = now;
            if (_run.Lost > 0)
            {
                _run.Recording = false;
                _run.StopPublishing = true;
                end = now;
                break;
            }
        }

        // ---- drain: every PUBLISH acknowledged (QoS 1) and delivered to every subscriber
        var drainWatch = Stopwatch.StartNew();
        Snapshot final;
        while (true)
        {
            final = Take();
            var inFlight = _pubs.Where(p => !p.Closed).Sum(p => p.InFlight);
            var expected = final.Published * _subs.Count;
            // The totals too, not only the per-connection windows: a send loop that was filling its last batch when
            // publishing stopped counts it as published an instant before it counts it in flight.
            var acked = o.QoS == 0 || final.Acked >= final.Published;
            if ((inFlight == 0 && acked && final.Delivered >= expected) || drainWatch.Elapsed.TotalSeconds >= o.Drain || _run.Lost > 0)
            {
                break;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        var b = begin ?? last;
        var secs = (end.Ticks - b.Ticks) / (double)Stopwatch.Frequency;
        result["duration"] = Math.Round(secs, 3);
        result["warmup"] = o.Warmup;
        result["published_per_s"] = Math.Round((end.Published - b.Published) / secs);
        result["acked_per_s"] = o.QoS > 0 ? Math.Round((end.Acked - b.Acked) / secs) : null;
        result["delivered_per_s"] = _subs.Count > 0 ? Math.Round((end.Delivered - b.Delivered) / secs) : null;
        result["published"] = final.Published;
        result["acked"] = o.QoS > 0 ? final.Acked : null;
        var expectedDelivered = final.Published * _subs.Count;
        result["delivered"] = _subs.Count > 0 ? final.Delivered : null;
        result["expected_delivered"] = _subs.Count > 0 ? expectedDelivered : null;
        result["drain_seconds"] = Math.Round(drainWatch.Elapsed.TotalSeconds, 3);

        if (_run.LatencyInPayload && _subs.Count > 0)
        {
            AddLatency(result, "latency", RunState.Merge(_run.EndToEnd));
        }

        if (o.QoS > 0)
        {
            AddLatency(result, "ack_latency", RunState.Merge(_run.AckLatency));
        }

        var selfCpu = (end.SelfCpu - b.SelfCpu).TotalSeconds / secs * 100;
        result["loadgen_cpu_pct"] = Math.Round(selfCpu, 1);
        if (o.BrokerPid is { } pid)
        {
            result["broker_cpu_pct"] = Math.Round((end.BrokerCpuSeconds - b.BrokerCpuSeconds) / secs * 100, 1);
            result["broker_rss_kb"] = ProcInfo.RssKb(pid);
        }

        result["cpus"] = Environment.ProcessorCount;
        result["loadavg_1m"] = ProcInfo.LoadAverage();

        var exit = 0;
        if (o.QoS > 0)
        {
            if (final.Acked < final.Published)
            {
                Console.Error.WriteLine($"error: {final.Published - final.Acked} PUBLISHes never acknowledged (waited {o.Drain} s)");
                result["unacknowledged"] = final.Published - final.Acked;
                exit = 4;
            }

            if (_subs.Count > 0 && final.Delivered != expectedDelivered)
            {
                Console.Error.WriteLine($"error: delivered {final.Delivered}, expected {expectedDelivered} (published x subscribers)");
                result["lost_messages"] = expectedDelivered - final.Delivered;
                exit = 4;
            }
        }
        else if (_subs.Count > 0)
        {
            result["lost_messages"] = expectedDelivered - final.Delivered;   // QoS 0 may drop: reported, not an error
        }

        return exit;
    }

    private async Task<int> HoldIdleAsync(Dictionary<string, object?> result)
    {
        var start = Stopwatch.GetTimestamp();
        long? rss = null;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < o.Duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, o.Duration - Stopwatch.GetElapsedTime(start).TotalSeconds))).ConfigureAwait(false);
            var open = _all.Count(c => !c.Closed);
            rss = o.BrokerPid is { } pid ? ProcInfo.RssKb(pid) : null;
            Log($"{Stopwatch.GetElapsedTime(start).TotalSeconds,6:F1} s  connected {open}" + (rss is null ? "" : $"  broker RSS {rss / 1024.0:F1} MiB"));
        }

        result["connected_at_end"] = _all.Count(c => !c.Closed);
        result["hold_seconds"] = o.Duration;
        if (rss is not null)
        {
            result["broker_rss_kb"] = rss;
        }

        result["loadgen_rss_kb"] = ProcInfo.RssKb(Environment.ProcessId);
        return 0;
    }

    private static void AddLatency(Dictionary<string, object?> result, string name, Histogram h)
    {
        result[name + "_samples"] = h.Count;
        result[name + "_p50_ms"] = Math.Round(Histogram.TicksToMs(h.Percentile(50)), 3);
        result[name + "_p90_ms"] = Math.Round(Histogram.TicksToMs(h.Percentile(90)), 3);
        result[name + "_p99_ms"] = Math.Round(Histogram.TicksToMs(h.Percentile(99)), 3);
        result[name + "_max_ms"] = Math.Round(Histogram.TicksToMs(h.Max), 3);
    }

    private void Progress(Snapshot a, Snapshot b, double elapsed, string phase)
    {
        var dt = (b.Ticks - a.Ticks) / (double)Stopwatch.Frequency;
        if (dt <= 0)
        {
            return;
        }

        var cpu = (b.SelfCpu - a.SelfCpu).TotalSeconds / dt * 100;
        var broker = o.BrokerPid is null ? "" : $"  broker cpu {(b.BrokerCpuSeconds - a.BrokerCpuSeconds) / dt * 100:F0}%";
        Log($"{elapsed,6:F1} s {phase,-7} pub {(b.Published - a.Published) / dt,9:F0}/s  ack {(b.Acked - a.Acked) / dt,9:F0}/s  " +
            $"deliv {(b.Delivered - a.Delivered) / dt,9:F0}/s  loadgen cpu {cpu:F0}%{broker}");
    }

    private void Log(string line)
    {
        if (!o.Quiet)
        {
            Console.Error.WriteLine(line);
        }
    }

    private void CloseAll()
    {
        foreach (var c in _all)
        {
            c.Close();
        }
    }

    private void Emit(Dictionary<string, object?> result, string? warning)
    {
        Console.WriteLine($"== {result["scenario"]} against {result["broker"]} (MQTT {result["version"]}) ==");
        foreach (var (k, v) in result)
        {
            if (v is not null)
            {
                Console.WriteLine($"  {k,-24} {Convert.ToString(v, Inv)}");
            }
        }

        if (warning is not null)
        {
            Console.WriteLine($"  {warning}");
        }

        if (o.Json)
        {
            var clean = result.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
            Console.WriteLine(JsonSerializer.Serialize(clean));
        }
    }
}

/// <summary>Reads a process's RSS and CPU time from /proc (Linux).</summary>
public static class ProcInfo
{
    public static long? RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The 1-minute load average: other work on the machine skews every figure, so it is reported.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of <paramref name="pid"/> in seconds (clock ticks of 1/100 s), or 0.</summary>
    public static double CpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime is field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
