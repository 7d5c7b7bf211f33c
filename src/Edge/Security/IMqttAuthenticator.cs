using System.Net;
using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Security;

/// <summary>
/// Checks the credentials of a CONNECT (3.1.1 §3.1.3.4-5, 5.0 §3.1.3.5-6). The host implements it (device
/// credentials, user accounts); Edge knows nothing of how accounts are stored.
/// </summary>
public interface IMqttAuthenticator
{
    ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationContext context, CancellationToken cancellationToken);
}

/// <summary>What a CONNECT presented. <see cref="UserName"/> is non-null (anonymous connections never reach the authenticator).</summary>
public sealed record MqttAuthenticationContext(
    string ClientId,
    string UserName,
    ReadOnlyMemory<byte> Password,
    MqttProtocolVersion ProtocolVersion,
    EndPoint? RemoteEndPoint);

/// <summary>Outcome of authentication: a principal, or the reason to put in CONNACK.</summary>
public sealed record MqttAuthenticationResult(MqttPrincipal? Principal, MqttReasonCode ReasonCode)
{
    public bool Succeeded => Principal is not null;

    public static MqttAuthenticationResult Success(MqttPrincipal principal) => new(principal, MqttReasonCode.Success);

    /// <summary>Unknown account or wrong secret: CONNACK 0x86 (3.1.1: 4).</summary>
    public static MqttAuthenticationResult BadCredentials { get; } = new(null, MqttReasonCode.BadUserNameOrPassword);

    /// <summary>Known but not allowed (revoked device, disabled user): CONNACK 0x87 (3.1.1: 5).</summary>
    public static MqttAuthenticationResult NotAuthorized { get; } = new(null, MqttReasonCode.NotAuthorized);
}

/// <summary>Who is on the other end of a connection.</summary>
public enum MqttPrincipalKind
{
    Anonymous,
    Terminal,
    Sensor,
    User,
}

/// <summary>
/// An authenticated MQTT client and what it may publish to and subscribe to (topic filters, '+' and '#' allowed).
/// Build the defaults of the topic scheme with <see cref="MqttAccessRules"/>.
/// </summary>
public sealed record MqttPrincipal(
    string Name,
    MqttPrincipalKind Kind,
    IReadOnlyList<string> PublishFilters,
    IReadOnlyList<string> SubscribeFilters)
{
    /// <summary>The device id for terminals and sensors; null for users and anonymous clients.</summary>
    public string? DeviceId => Kind is MqttPrincipalKind.Terminal or MqttPrincipalKind.Sensor ? Name : null;
}
