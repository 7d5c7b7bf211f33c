namespace GridGov.Realtime.Edge.Codec;

/// <summary>Variable Byte Integer (3.1.1 §2.2.3 "Remaining Length", 5.0 §1.5.5): 7 bits per byte, at most 4 bytes.</summary>
public static class MqttVarInt
{
    /// <summary>Largest encodable value, 268,435,455 (5.0 §1.5.5).</summary>
    public const int MaxValue = 268_435_455;

    /// <summary>Number of bytes <paramref name="value"/> takes on the wire.</summary>
    public static int GetSize(uint value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxValue => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Exceeds the Variable Byte Integer maximum."),
    };

    /// <summary>Writes <paramref name="value"/> using the minimum number of bytes (5.0 §1.5.5 [MQTT-1.5.5-1]); returns bytes written.</summary>
    public static int Write(Span<byte> destination, uint value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0)
            {
                b |= 0x80;
            }

            destination[i++] = b;
        }
        while (value != 0);
        return i;
    }
}
