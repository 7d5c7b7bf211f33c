using GridGov.Realtime.Dashboard.Feed;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace GridGov.Realtime.Dashboard.Hubs;

/// <summary>
/// <c>/hubs/command-centre</c>: a command centre subscribes to region scopes its user's scope covers and
/// then receives <see cref="ICommandCentreClient"/> messages for them from the live feed. Holds no state.
/// Groups do not survive a reconnect (a reconnected connection has a new id): clients call
/// <see cref="Subscribe"/> again from their <c>onreconnected</c> handler, as the dashboard page does.
/// </summary>
[Authorize]
public sealed class CommandCentreHub(IRegionScopeAuthorizer authorizer, FeedSubscriptions subscriptions) : Hub<ICommandCentreClient>
{
    public const string Path = "/hubs/command-centre";

    /// <summary>Starts receiving updates for <paramref name="regionCode"/> and everything below it ("" = whole system, admins only).</summary>
    /// <exception cref="HubException">The user's region scope does not cover the code.</exception>
    public async Task Subscribe(string regionCode)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        if (!authorizer.CanSee(Context.User!, regionCode))
            throw new HubException($"Your region scope does not cover region '{Shorten(regionCode)}'.");
        // Join the group before counting, so the feed never sends to a counted scope the connection is not yet in.
        await Groups.AddToGroupAsync(Context.ConnectionId, FeedSubscriptions.GroupName(regionCode), Context.ConnectionAborted);
        subscriptions.Add(Context.ConnectionId, regionCode);
    }

    /// <summary>Stops receiving updates for <paramref name="regionCode"/>; a no-op when not subscribed.</summary>
    public async Task Unsubscribe(string regionCode)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        if (!subscriptions.Remove(Context.ConnectionId, regionCode)) return;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, FeedSubscriptions.GroupName(regionCode), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.RemoveConnection(Context.ConnectionId);
        return Task.CompletedTask;
    }

    private static string Shorten(string code) => code.Length <= 40 ? code : code[..40] + "…";
}
