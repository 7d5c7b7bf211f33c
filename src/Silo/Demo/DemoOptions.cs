namespace GridGov.Realtime.Silo.Demo;

/// <summary>The demo simulator (section "Demo"; <c>--demo</c> on the command line turns it on).</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>How often each simulated terminal reports a fix.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Chance per report that a terminal presses SOS.</summary>
    public double SosChance { get; set; } = 1.0 / 4000;

    /// <summary>Chance per report that a terminal loses its connection (then stays away for OfflineFor).</summary>
    public double DropChance { get; set; } = 1.0 / 3000;

    public TimeSpan OfflineFor { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Seed for the walks, so a demo replays the same way.</summary>
    public int Seed { get; set; } = 20261121;
}
