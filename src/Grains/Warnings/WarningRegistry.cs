using GridGov.Realtime.Actors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// Which regions have active warnings (one instance, key <see cref="Key"/>). The broker keeps retained
/// messages in memory only, so after a restart <see cref="WarningRepublisher"/> asks this registry where to
/// publish again instead of activating a grain per region of the city.
/// </summary>
public interface IWarningRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>
    /// A region's warning grain reports whether it has any active warning (idempotent). Awaited, not one-way:
    /// warnings change rarely, and the registry must be durable before the change is acknowledged.
    /// </summary>
    Task SetActive(string regionCode, bool active);

    Task<IReadOnlyList<string>> ActiveRegions();
}

public sealed class WarningRegistryState
{
    public List<string> Regions { get; set; } = [];
}

public sealed class WarningRegistryGrain([PersistentState("warning-regions")] IPersistentState<WarningRegistryState> state) : Grain, IWarningRegistryGrain
{
    public async Task SetActive(string regionCode, bool active)
    {
        var regions = state.State.Regions;
        var index = regions.BinarySearch(regionCode, StringComparer.Ordinal);
        if (active == index >= 0) return;
        if (active) regions.Insert(~index, regionCode);
        else regions.RemoveAt(index);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ActiveRegions() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Regions]);
}

/// <summary>
/// At start-up, publishes again the retained warning of every region with an active warning (the broker's
/// retained store does not survive a restart). Runs in the background; <see cref="Completion"/> tells when done.
/// </summary>
public sealed partial class WarningRepublisher(IGrainFactory grains, ILogger<WarningRepublisher> logger) : IHostedService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            var regions = await grains.GetGrain<IWarningRegistryGrain>(IWarningRegistryGrain.Key).ActiveRegions();
            foreach (var code in regions) await grains.GetGrain<IWarningGrain>(code).Republish();
            LogRepublished(logger, regions.Count);
            _done.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(logger, ex);
            _done.TrySetException(ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Republished the retained warnings of {Count} regions")]
    private static partial void LogRepublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Republishing retained warnings at start-up failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
