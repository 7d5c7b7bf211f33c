using System.Text.Json;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Grains.Responders;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// Acknowledgements from responders' devices: <c>gridgov/v1/responders/{userId}/ack</c> with <c>{"escalationId": "..."}</c>.
/// The broker's ACL lets only a responder account publish there, and only under its own user name; the escalation
/// grain decides whether it is theirs to take (<see cref="EscalationAuthority"/>). The PUBACK follows the stored
/// acknowledgement. Verdicts (5.0): 0x99 bad payload, 0x87 not theirs, 0x83 unknown escalation or already taken / moved on.
/// </summary>
internal sealed class ResponderAckUplinkHandler(IGrainFactory grains) : IMqttUplinkHandler
{
    private const string Suffix = "/ack";
    private const int MaxIdLength = 256;

    public async ValueTask<MqttUplinkVerdict> OnPublishAsync(MqttUplinkMessage message, CancellationToken cancellationToken)
    {
        if (!TryParse(message.Topic, out var userId)) return MqttUplinkVerdict.Accept; // not a responder's ack
        if (message.Principal.Kind != MqttPrincipalKind.User || !string.Equals(message.Principal.Name, userId, StringComparison.Ordinal))
            return MqttUplinkVerdict.Reject(MqttReasonCode.NotAuthorized, "only the responder may acknowledge under their own id");
        if (!TryReadEscalationId(message.Payload.Span, out var escalationId, out var error))
            return MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, error);
        var actor = new EscalationActor(userId, EscalationAuthority.Responder, null);
        var result = await grains.GetGrain<IEscalationGrain>(escalationId).Acknowledge(new AcknowledgeEscalation(actor, "mqtt"));
        return result.Status switch
        {
            EscalationCommandStatus.Ok => MqttUplinkVerdict.Accept,
            EscalationCommandStatus.Forbidden => MqttUplinkVerdict.Reject(MqttReasonCode.NotAuthorized, result.Error ?? "not yours"),
            EscalationCommandStatus.Invalid => MqttUplinkVerdict.Reject(MqttReasonCode.PayloadFormatInvalid, result.Error ?? "invalid"),
            _ => MqttUplinkVerdict.Reject(MqttReasonCode.ImplementationSpecificError, result.Error ?? "not acknowledged"),
        };
    }

    internal static bool TryParse(string topic, out string userId)
    {
        userId = "";
        if (!topic.StartsWith(ResponderTopics.Prefix, StringComparison.Ordinal) || !topic.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var id = topic.AsSpan(ResponderTopics.Prefix.Length, topic.Length - ResponderTopics.Prefix.Length - Suffix.Length);
        if (id.IsEmpty || id.Contains('/')) return false;
        userId = id.ToString();
        return true;
    }

    /// <summary>A JSON object whose "escalationId" is a non-empty string (other fields are ignored, so devices may add their own).</summary>
    internal static bool TryReadEscalationId(ReadOnlySpan<byte> payload, out string escalationId, out string error)
    {
        escalationId = "";
        error = "";
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { error = "the payload is a JSON object {\"escalationId\": \"...\"}"; return false; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("escalationId"u8);
                if (!reader.Read()) break;
                if (isId && reader.TokenType == JsonTokenType.String) escalationId = reader.GetString() ?? "";
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            error = "the payload is not valid JSON";
            return false;
        }
        if (string.IsNullOrWhiteSpace(escalationId) || escalationId.Length > MaxIdLength)
        {
            error = "escalationId is required (a string of at most 256 characters)";
            return false;
        }
        return true;
    }
}
