using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>
/// Where the encoder's emit routines write. One routine serves both measuring (<see cref="CountingSink"/>) and
/// writing (<see cref="SpanSink"/>), so the computed Remaining Length and Property Length always match the bytes written.
/// </summary>
internal interface IMqttSink
{
    void Byte(byte value);
    void UInt16(ushort value);
    void UInt32(uint value);
    void VarInt(uint value);
    void Raw(ReadOnlySpan<byte> bytes);
    void Raw(in ReadOnlySequence<byte> bytes);
    /// <summary>UTF-8 Encoded String (5.0 §1.5.4): two-byte length then the bytes.</summary>
    void String(string value);
}

internal struct CountingSink : IMqttSink
{
    public int Count;

    public void Byte(byte value) => Count++;
    public void UInt16(ushort value) => Count += 2;
    public void UInt32(uint value) => Count += 4;
    public void VarInt(uint value) => Count += MqttVarInt.GetSize(value);
    public void Raw(ReadOnlySpan<byte> bytes) => Count += bytes.Length;
    public void Raw(in ReadOnlySequence<byte> bytes) => Count += checked((int)bytes.Length);
    public void String(string value) => Count += 2 + MqttEncoder.Utf8Length(value);
}

internal ref struct SpanSink : IMqttSink
{
    private readonly Span<byte> _span;
    private int _position;

    public SpanSink(Span<byte> span) => _span = span;

    public readonly int Position => _position;

    public void Byte(byte value) => _span[_position++] = value;

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void VarInt(uint value) => _position += MqttVarInt.Write(_span[_position..], value);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    public void Raw(in ReadOnlySequence<byte> bytes)
    {
        bytes.CopyTo(_span[_position..]);
        _position += (int)bytes.Length;
    }

    public void String(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _span[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], (ushort)length);
        _position += 2 + length;
    }
}
