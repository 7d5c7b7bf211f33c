using GridGov.Realtime.Edge.Packets;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>Outcome of one decode attempt.</summary>
public enum DecodeStatus : byte
{
    /// <summary>The buffer holds no complete packet yet; nothing consumed, everything examined.</summary>
    NeedMoreData = 0,
    /// <summary>One packet was decoded and consumed.</summary>
    Packet = 1,
    /// <summary>The input violates the protocol; <see cref="DecodeResult.ReasonCode"/> says what to send before closing.</summary>
    Error = 2,
}

/// <summary>
/// Result of <see cref="MqttDecoder.TryRead"/>. On <see cref="DecodeStatus.Error"/>, <see cref="ReasonCode"/> is the 5.0
/// reason code for the DISCONNECT (or CONNACK, when the packet was a CONNECT) and <see cref="Message"/> a static
/// description for logs (no allocation). For 3.1.1 connections use <see cref="MqttReasonCodes.ToConnectReturnCode"/>
/// to get a CONNACK return code, or just close (3.1.1 §4.8).
/// </summary>
public readonly struct DecodeResult
{
    private DecodeResult(DecodeStatus status, MqttReasonCode reasonCode, string? message, MqttProtocolVersion connectVersion)
    {
        Status = status;
        ReasonCode = reasonCode;
        Message = message;
        ConnectVersion = connectVersion;
    }

    public DecodeStatus Status { get; }
    public MqttReasonCode ReasonCode { get; }
    public string? Message { get; }

    /// <summary>
    /// When a CONNECT failed to decode after its protocol level was read, that level (so the broker knows whether to
    /// answer with a 5.0 or a 3.1.1 CONNACK). Otherwise <see cref="MqttProtocolVersion.Unknown"/>.
    /// </summary>
    public MqttProtocolVersion ConnectVersion { get; }

    public bool IsError => Status == DecodeStatus.Error;

    public static DecodeResult NeedMoreData => default;
    public static DecodeResult Ok => new(DecodeStatus.Packet, MqttReasonCode.Success, null, MqttProtocolVersion.Unknown);

    public static DecodeResult Fail(MqttReasonCode code, string message) => new(DecodeStatus.Error, code, message, MqttProtocolVersion.Unknown);

    internal DecodeResult WithConnectVersion(MqttProtocolVersion version) => new(Status, ReasonCode, Message, version);

    public override string ToString() => Status == DecodeStatus.Error ? $"Error {ReasonCode} (0x{(byte)ReasonCode:X2}): {Message}" : Status.ToString();
}
