using System.Buffers;
using System.Text.Unicode;

namespace GridGov.Realtime.Edge.Codec;

/// <summary>UTF-8 string and topic rules shared by the decoder, the encoder and the broker.</summary>
public static class MqttTopic
{
    private const int StackCopyLimit = 256;

    /// <summary>
    /// UTF-8 Encoded String rules (3.1.1 §1.5.3, 5.0 §1.5.4): well-formed UTF-8, so no UTF-16 surrogate code points
    /// (U+D800..U+DFFF) and no overlong forms [MQTT-1.5.4-1], and no U+0000 [MQTT-1.5.4-2]. Optionally also the
    /// Topic Name rule that wildcards '+' and '#' must not appear (5.0 §4.7.1 [MQTT-4.7.1-1], §3.3.2.1 [MQTT-3.3.2-2]).
    /// The "SHOULD NOT" control characters and non-characters (5.0 §1.5.4 [MQTT-1.5.4-3]) are accepted.
    /// </summary>
    public static bool IsValidString(ReadOnlySpan<byte> utf8, bool rejectWildcards = false)
    {
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        return rejectWildcards ? utf8.IndexOfAny((byte)0, (byte)'+', (byte)'#') < 0 : !utf8.Contains((byte)0);
    }

    /// <summary>As <see cref="IsValidString(ReadOnlySpan{byte}, bool)"/> over a possibly multi-segment sequence; allocation-free.</summary>
    public static bool IsValidString(in ReadOnlySequence<byte> utf8, bool rejectWildcards = false)
    {
        if (utf8.IsSingleSegment)
        {
            return IsValidString(utf8.FirstSpan, rejectWildcards);
        }

        // A code point may straddle segments: validate a contiguous copy (strings are at most 65,535 bytes).
        var length = (int)utf8.Length;
        if (length <= StackCopyLimit)
        {
            Span<byte> copy = stackalloc byte[StackCopyLimit];
            utf8.CopyTo(copy);
            return IsValidString(copy[..length], rejectWildcards);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            utf8.CopyTo(rented);
            return IsValidString(rented.AsSpan(0, length), rejectWildcards);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Topic Filter rules (5.0 §4.7): at least one character [MQTT-4.7.3-1]; '#' only alone or as the last level
    /// after '/' [MQTT-4.7.1-1]; '+' occupies a whole level [MQTT-4.7.1-2]. With <paramref name="allowShared"/> (5.0),
    /// a "$share/{ShareName}/{filter}" form must have a non-empty ShareName without '/', '+', '#' and a filter
    /// (5.0 §4.8.2 [MQTT-4.8.2-1], [MQTT-4.8.2-2]).
    /// </summary>
    public static bool IsValidFilter(ReadOnlySpan<char> filter, bool allowShared, out bool isShared)
    {
        isShared = false;
        if (allowShared && filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            isShared = true;
            var rest = filter["$share/".Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || rest[..slash].IndexOfAny('+', '#') >= 0)
            {
                return false;
            }

            filter = rest[(slash + 1)..];
        }

        if (filter.IsEmpty)
        {
            return false;
        }

        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c == '#')
            {
                // Must be the last character and either alone or right after a level separator.
                if (i != filter.Length - 1 || (i > 0 && filter[i - 1] != '/'))
                {
                    return false;
                }
            }
            else if (c == '+')
            {
                if ((i > 0 && filter[i - 1] != '/') || (i < filter.Length - 1 && filter[i + 1] != '/'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
