using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Dashboard.Hosting;

/// <summary>Settings of section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";
    public static readonly TimeSpan DefaultPositionInterval = TimeSpan.FromMilliseconds(250);
    public const int DefaultMaxQueuedUpdates = 10_000;
    public const int DefaultMaxPendingPositionsPerScope = 50_000;
    public const int DefaultMaxInFlightSendsPerScope = 8;

    /// <summary>Positions are coalesced per scope and sent at most this often.</summary>
    public TimeSpan PositionInterval { get; set; } = DefaultPositionInterval;

    /// <summary>Statuses, transitions, alerts and counters waiting to be sent; beyond this they are dropped and counted.</summary>
    public int MaxQueuedUpdates { get; set; } = DefaultMaxQueuedUpdates;

    /// <summary>Distinct workers buffered per scope between two batches; fixes of further workers are dropped and counted.</summary>
    public int MaxPendingPositionsPerScope { get; set; } = DefaultMaxPendingPositionsPerScope;

    /// <summary>
    /// Sends to one scope's group not yet completed (a slow client holds them up). Beyond this, that scope's
    /// prompt messages are dropped and its positions keep coalescing until the sends drain.
    /// </summary>
    public int MaxInFlightSendsPerScope { get; set; } = DefaultMaxInFlightSendsPerScope;

    /// <summary>
    /// Raster tile URL template for the page's base map (<c>{z}</c>, <c>{x}</c>, <c>{y}</c>), e.g. a city's own
    /// tile server. Empty (the default): polygons and markers on a plain background, no tile server needed.
    /// </summary>
    public string BaseMapUrl { get; set; } = "";
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new List<string>();
        if (options.PositionInterval < TimeSpan.FromMilliseconds(10) || options.PositionInterval > TimeSpan.FromSeconds(10))
            errors.Add($"{DashboardOptions.SectionName}:PositionInterval must be between 00:00:00.010 and 00:00:10; got {options.PositionInterval}.");
        if (options.MaxQueuedUpdates < 1)
            errors.Add($"{DashboardOptions.SectionName}:MaxQueuedUpdates must be at least 1; got {options.MaxQueuedUpdates}.");
        if (options.MaxPendingPositionsPerScope < 1)
            errors.Add($"{DashboardOptions.SectionName}:MaxPendingPositionsPerScope must be at least 1; got {options.MaxPendingPositionsPerScope}.");
        if (options.MaxInFlightSendsPerScope < 1)
            errors.Add($"{DashboardOptions.SectionName}:MaxInFlightSendsPerScope must be at least 1; got {options.MaxInFlightSendsPerScope}.");
        if (options.BaseMapUrl is null
            || (options.BaseMapUrl.Length > 0
                && !(Uri.TryCreate(options.BaseMapUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                     && uri.Scheme is "http" or "https")))
            errors.Add($"{DashboardOptions.SectionName}:BaseMapUrl must be empty or an absolute http(s) URL template with {{z}}, {{x}}, {{y}}; got '{options.BaseMapUrl}'.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
