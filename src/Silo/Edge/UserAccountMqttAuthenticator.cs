using System.Text;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Silo.Auth;

using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// MQTT CONNECT checked against the user accounts (the same hashing, decoy work and disabled flag as the HTTP login).
/// A grid worker's handheld terminal logs in with the worker's account and gets the terminal ACL for that id
/// (user name = worker id); responders may read their escalations; every user reads the warnings of their
/// region and the regions above it. Per-device credentials (sensors, shared terminals) are a later step.
/// </summary>
internal sealed class UserAccountMqttAuthenticator(UserAccountService accounts, IRegionDirectory regions) : IMqttAuthenticator
{
    public async ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationContext context, CancellationToken cancellationToken)
    {
        var password = Encoding.UTF8.GetString(context.Password.Span);
        var (outcome, account) = await accounts.VerifyAsync(context.UserName, password, cancellationToken);
        if (outcome == LoginOutcome.Disabled) return MqttAuthenticationResult.NotAuthorized;
        if (account is null) return MqttAuthenticationResult.BadCredentials;
        var warningRegions = SelfAndAncestors(regions.Scheme, account.RegionScope.Code);
        return MqttAuthenticationResult.Success(account.Role == Roles.GridWorker
            ? MqttAccessRules.Terminal(account.UserName, warningRegions)
            : MqttAccessRules.User(account.UserName, account.Role == Roles.Responder, warningRegions));
    }

    /// <summary>The scope's code and its ancestors by the configured code scheme; the whole-system scope reads every region.</summary>
    internal static IEnumerable<string> SelfAndAncestors(GridCodeScheme scheme, string? code)
    {
        if (code is null) return [];
        if (code.Length == 0) return ["+"];
        var chain = new List<string>();
        for (var c = code; c is not null && scheme.TryGetLevel(c, out _, out _); c = scheme.ParentOf(c)) chain.Add(c);
        return chain.Count == 0 ? [code] : chain;
    }
}
