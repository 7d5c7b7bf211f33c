using System.Text;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// MQTT CONNECT checked against the user accounts (the same hashing, decoy work and disabled flag as the HTTP login).
/// Responders may read their escalations; every user the warnings of their region and the regions above it.
/// Per-device credentials (terminals, sensors) are a later step and will be tried before this.
/// </summary>
internal sealed class UserAccountMqttAuthenticator(UserAccountService accounts) : IMqttAuthenticator
{
    public async ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationContext context, CancellationToken cancellationToken)
    {
        var password = Encoding.UTF8.GetString(context.Password.Span);
        var (outcome, account) = await accounts.VerifyAsync(context.UserName, password, cancellationToken);
        if (outcome == LoginOutcome.Disabled) return MqttAuthenticationResult.NotAuthorized;
        if (account is null) return MqttAuthenticationResult.BadCredentials;
        return MqttAuthenticationResult.Success(MqttAccessRules.User(account.UserName, account.Role == Roles.Responder, RegionHierarchy.SelfAndAncestors(account.RegionScope.Code)));
    }
}

/// <summary>Region codes nest by prefix (CJ/T 213: 6 county + 3 street + 3 community + 2 grid; GB/T 2260 2+2+2 above the county).</summary>
internal static class RegionHierarchy
{
    private static readonly int[] s_levels = [2, 4, 6, 9, 12, 14];

    /// <summary>The code and every ancestor's code. The whole-system scope (empty code) reads every region's warning.</summary>
    public static IEnumerable<string> SelfAndAncestors(string? code)
    {
        if (code is null) yield break;
        if (code.Length == 0)
        {
            yield return "+";
            yield break;
        }

        foreach (var length in s_levels)
        {
            if (length < code.Length) yield return code[..length];
        }

        yield return code;
    }
}
