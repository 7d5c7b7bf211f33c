namespace GridGov.Realtime.Silo.Demo;

internal static class DemoExtensions
{
    /// <summary>The demo simulator, on with <c>--demo</c> (or <c>Demo:Enabled=true</c>).</summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder, string[] args)
    {
        var options = builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        if (args.Contains("--demo", StringComparer.Ordinal)) options.PostConfigure(o => o.Enabled = true);
        builder.Services.AddHostedService<DemoSimulator>();
        return builder;
    }

    /// <summary>The arguments without the bare <c>--demo</c> switch, which the configuration's command-line syntax (--key value) cannot take.</summary>
    public static string[] WithoutDemoSwitch(string[] args) => [.. args.Where(a => a != "--demo")];
}
