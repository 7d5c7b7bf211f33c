using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Topics;

namespace GridGov.Realtime.Edge.Transport;

/// <summary>CONNECT (3.1.1 §3.1, 5.0 §3.1): authentication, the will, the session, CONNACK.</summary>
internal sealed partial class MqttConnection
{
    private async ValueTask<CloseKind?> HandleConnectAsync(ConnectPacket connect, CancellationToken cancellationToken)
    {
        Version = connect.ProtocolVersion;
        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            // 3.1.1 §3.1.3.1: a zero-length id needs Clean Session 1; 5.0 §3.1.3.1: the server assigns one.
            if (!V5 && !connect.CleanStart) return Refuse(MqttReasonCode.ClientIdentifierNotValid, null);
            clientId = "auto-" + Guid.NewGuid().ToString("N");
            assigned = true;
        }

        // 5.0 §4.12: no enhanced authentication method is supported, so a CONNECT that names one is refused.
        if (connect.Properties?.AuthenticationMethod is not null) return Refuse(MqttReasonCode.BadAuthenticationMethod, connect.UserName);

        MqttPrincipal principal;
        if (connect.UserName is null)
        {
            if (!_options.AllowAnonymous) return Refuse(MqttReasonCode.NotAuthorized, null);
            principal = new MqttPrincipal("(anonymous)", MqttPrincipalKind.Anonymous, _options.AnonymousAccess.Publish, _options.AnonymousAccess.Subscribe);
        }
        else
        {
            if (_broker.Authenticator is not { } authenticator) return Refuse(MqttReasonCode.BadUserNameOrPassword, connect.UserName);
            var result = await authenticator.AuthenticateAsync(
                new MqttAuthenticationContext(clientId, connect.UserName, connect.Password ?? [], Version, RemoteEndPoint), cancellationToken);
            if (result.Principal is not { } p) return Refuse(result.ReasonCode == MqttReasonCode.Success ? MqttReasonCode.NotAuthorized : result.ReasonCode, connect.UserName);
            principal = p;
        }

        if (connect.Will is { } will)
        {
            if (!TopicValidator.ValidateTopicName(will.Topic).IsValid) return Refuse(MqttReasonCode.TopicNameInvalid, connect.UserName);
            if (!_broker.Authorizer.CanPublish(principal, will.Topic))
            {
                EdgeLog.Denied(_broker.Logger, clientId, principal.Name, "set a will on", will.Topic);
                return Refuse(MqttReasonCode.NotAuthorized, connect.UserName);
            }
        }

        _principal = principal;
        ClientId = clientId;
        Will = connect.Will;
        WillDelaySeconds = connect.Will?.Properties?.WillDelayInterval ?? 0;
        var props = connect.Properties;
        OutboundReceiveMaximum = Math.Min(_options.MaxInflightPerClient, props?.ReceiveMaximum ?? ushort.MaxValue);
        _clientMaxPacketSize = props?.MaximumPacketSize ?? 0;
        _problemInformation = props?.RequestProblemInformation ?? true;
        var aliases = Math.Min(props?.TopicAliasMaximum ?? 0, _options.OutboundTopicAliasMaximum);
        _outboundAliases = V5 && aliases > 0 ? new OutboundTopicAliases(aliases) : null;
        _keepAliveSeconds = connect.KeepAlive;
        // 3.1.1 persistent sessions have no expiry of their own; 5.0 asks for one (5.0 §3.1.2.11.2), capped by us.
        var requested = V5 ? props?.SessionExpiryInterval ?? 0 : connect.CleanStart ? 0u : uint.MaxValue;
        var expiry = Math.Min(requested, _options.MaxSessionExpirySeconds);

        _session = _broker.OpenSession(this, clientId, connect.CleanStart, expiry, present =>
        {
            var ack = new ConnAckPacket { SessionPresent = present, ReasonCode = MqttReasonCode.Success };
            if (V5)
            {
                ack.Properties = new MqttProperties
                {
                    AssignedClientIdentifier = assigned ? clientId : null,
                    ReceiveMaximum = (ushort)_options.ReceiveMaximum,
                    TopicAliasMaximum = _options.TopicAliasMaximum > 0 ? (ushort)_options.TopicAliasMaximum : null,
                    MaximumPacketSize = (uint)_options.MaxPacketSize,
                    SessionExpiryInterval = expiry != requested ? expiry : null,
                };
            }

            Send(ack);
        });

        // Due when 1.5x the keep-alive has passed without a packet; OnTimer moves it on while packets arrive.
        _timer?.Change(_keepAliveSeconds > 0 ? KeepAliveLimit : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        _metrics.Accepted();
        EdgeLog.Connected(_broker.Logger, clientId, Remote, principal.Name, (int)Version, connect.CleanStart, _session is not null);
        return null;
    }

    private CloseKind Refuse(MqttReasonCode code, string? user)
    {
        _metrics.Rejected(code);
        EdgeLog.ConnectRefused(_broker.Logger, Remote, code, user);
        if (V5) Send(new ConnAckPacket { ReasonCode = code });
        else if (MqttReasonCodes.ToConnectReturnCode(code) is { } rc) Send(new ConnAckPacket { ReasonCode = MqttReasonCodes.FromConnectReturnCode(rc) });
        return CloseKind.Refused;
    }
}
