using System.Buffers;
using System.Text;

namespace GridGov.Realtime.Edge.Topics;

/// <summary>Why a topic name or topic filter was rejected.</summary>
public enum TopicValidationError : byte
{
    None = 0,

    /// <summary>Zero length ([MQTT-4.7.3-1]).</summary>
    Empty,

    /// <summary>Encodes to more than 65,535 UTF-8 bytes ([MQTT-4.7.3-3], §1.5.4).</summary>
    TooLong,

    /// <summary>Contains U+0000 ([MQTT-4.7.3-2]).</summary>
    NullCharacter,

    /// <summary>Contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding ([MQTT-1.5.4-1]).</summary>
    InvalidUtf16,

    /// <summary>A topic name (PUBLISH) contains '+' or '#' ([MQTT-4.7.1-1]).</summary>
    WildcardInTopicName,

    /// <summary>'#' not alone in the last level of a filter ([MQTT-4.7.1-2]).</summary>
    InvalidMultiLevelWildcard,

    /// <summary>'+' not alone in its level ([MQTT-4.7.1-3]).</summary>
    InvalidSingleLevelWildcard,

    /// <summary><c>$share/</c> followed by an empty ShareName ([MQTT-4.8.2-1]).</summary>
    EmptyShareName,

    /// <summary>ShareName contains '+' or '#' ([MQTT-4.8.2-2]).</summary>
    InvalidShareName,

    /// <summary><c>$share/{ShareName}</c> not followed by "/" and a topic filter ([MQTT-4.8.2-2]).</summary>
    MissingSharedFilter,

    /// <summary>The filter has more levels than the broker accepts (a broker limit, not a spec rule).</summary>
    TooManyLevels,
}

/// <summary>Outcome of a validation; never an exception.</summary>
public readonly record struct TopicValidationResult(TopicValidationError Error)
{
    public static TopicValidationResult Valid => default;

    public bool IsValid => Error == TopicValidationError.None;

    /// <summary>A human readable reason, suitable for a Reason String property or a log line.</summary>
    public string Message => Error switch
    {
        TopicValidationError.None => "valid",
        TopicValidationError.Empty => "topic must be at least one character long (MQTT-4.7.3-1)",
        TopicValidationError.TooLong => "topic must not encode to more than 65535 UTF-8 bytes (MQTT-4.7.3-3)",
        TopicValidationError.NullCharacter => "topic must not contain U+0000 (MQTT-4.7.3-2)",
        TopicValidationError.InvalidUtf16 => "topic contains an unpaired surrogate and is not valid UTF-8 (MQTT-1.5.4-1)",
        TopicValidationError.WildcardInTopicName => "wildcards '+' and '#' are not allowed in a topic name (MQTT-4.7.1-1)",
        TopicValidationError.InvalidMultiLevelWildcard => "'#' must be alone in the last level of a filter (MQTT-4.7.1-2)",
        TopicValidationError.InvalidSingleLevelWildcard => "'+' must occupy an entire level of a filter (MQTT-4.7.1-3)",
        TopicValidationError.EmptyShareName => "shared subscription ShareName must not be empty (MQTT-4.8.2-1)",
        TopicValidationError.InvalidShareName => "shared subscription ShareName must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
        TopicValidationError.MissingSharedFilter => "shared subscription must be $share/{ShareName}/{filter} (MQTT-4.8.2-2)",
        TopicValidationError.TooManyLevels => "topic filter has more levels than this broker accepts",
        _ => Error.ToString(),
    };
}

/// <summary>
/// Topic name and topic filter rules of MQTT 3.1.1 §4.7 and 5.0 §4.7, and shared subscription
/// filters of 5.0 §4.8.2. Pure, allocation-free, thread-safe; never throws on bad input.
/// </summary>
/// <remarks>
/// Not enforced (the spec says SHOULD NOT / MAY, §1.5.4): control characters U+0001..U+001F,
/// U+007F..U+009F and Unicode non-characters are accepted. Topic aliases (an empty topic name plus
/// a Topic Alias, 5.0 §3.3.2.3.4) must be resolved by the caller before validation.
/// </remarks>
public static class TopicValidator
{
    /// <summary>Maximum encoded length of any UTF-8 string field (§1.5.4).</summary>
    public const int MaxUtf8Bytes = 65_535;

    /// <summary>Prefix that marks a shared subscription (5.0 §4.8.2).</summary>
    public const string SharePrefix = "$share/";

    private static readonly SearchValues<char> s_nameForbidden = SearchValues.Create("\0+#");

    /// <summary>
    /// Validates a topic name as carried in PUBLISH (and Will Topic): non-empty, no wildcards,
    /// no U+0000, valid UTF-16 (so valid UTF-8 once encoded), at most 65,535 UTF-8 bytes.
    /// Empty levels (<c>a//b</c>, a leading or trailing '/') are legal (§4.7.1.1).
    /// </summary>
    public static TopicValidationResult ValidateTopicName(ReadOnlySpan<char> topic)
    {
        if (topic.IsEmpty)
        {
            return new(TopicValidationError.Empty); // [MQTT-4.7.3-1]
        }

        var bad = topic.IndexOfAny(s_nameForbidden);
        if (bad >= 0)
        {
            // [MQTT-4.7.3-2] no U+0000; [MQTT-4.7.1-1] wildcards only in filters.
            return new(topic[bad] == '\0' ? TopicValidationError.NullCharacter : TopicValidationError.WildcardInTopicName);
        }

        return CheckEncoding(topic);
    }

    /// <summary>
    /// Validates a topic filter as carried in SUBSCRIBE / UNSUBSCRIBE. When <paramref name="allowShared"/>
    /// is true (5.0), a filter starting with <c>$share/</c> is validated as a shared subscription.
    /// <paramref name="maxLevels"/> is an optional broker limit on the number of levels of the
    /// (inner) filter.
    /// </summary>
    public static TopicValidationResult ValidateTopicFilter(ReadOnlySpan<char> filter, bool allowShared = true, int maxLevels = int.MaxValue)
    {
        if (filter.IsEmpty)
        {
            return new(TopicValidationError.Empty); // [MQTT-4.7.3-1]
        }

        var encoding = CheckEncoding(filter);
        if (!encoding.IsValid)
        {
            return encoding;
        }

        if (allowShared && filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            var shared = SplitShared(filter, out _, out var inner);
            return shared.IsValid ? CheckFilterLevels(inner, maxLevels) : shared;
        }

        return CheckFilterLevels(filter, maxLevels);
    }

    /// <summary>True when the filter starts with <c>$share/</c> (the caller still has to validate it).</summary>
    public static bool IsSharedFilter(ReadOnlySpan<char> filter) => filter.StartsWith(SharePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Splits <c>$share/{ShareName}/{filter}</c> into its ShareName and inner filter, validating the
    /// ShareName and the presence of the filter (5.0 §4.8.2) but not the inner filter's wildcards.
    /// </summary>
    public static TopicValidationResult SplitShared(ReadOnlySpan<char> filter, out ReadOnlySpan<char> shareName, out ReadOnlySpan<char> innerFilter)
    {
        shareName = default;
        innerFilter = default;
        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return new(TopicValidationError.MissingSharedFilter);
        }

        var rest = filter[SharePrefix.Length..];
        var slash = rest.IndexOf('/');
        var name = slash < 0 ? rest : rest[..slash];
        if (name.IsEmpty)
        {
            return new(TopicValidationError.EmptyShareName); // [MQTT-4.8.2-1]
        }

        if (name.IndexOfAny('+', '#') >= 0)
        {
            return new(TopicValidationError.InvalidShareName); // [MQTT-4.8.2-2]
        }

        if (slash < 0 || slash == rest.Length - 1)
        {
            // "$share/name" or "$share/name/": the '/' must be followed by a (non-empty) filter [MQTT-4.8.2-2].
            return new(TopicValidationError.MissingSharedFilter);
        }

        shareName = name;
        innerFilter = rest[(slash + 1)..];
        return TopicValidationResult.Valid;
    }

    /// <summary>Number of levels of a topic or filter: one more than the number of '/' (§4.7.1.1).</summary>
    public static int CountLevels(ReadOnlySpan<char> topic) => topic.Count('/') + 1;

    private static TopicValidationResult CheckFilterLevels(ReadOnlySpan<char> filter, int maxLevels)
    {
        var levels = 0;
        var rest = filter;
        while (true)
        {
            levels++;
            var slash = rest.IndexOf('/');
            var level = slash < 0 ? rest : rest[..slash];

            var hash = level.IndexOf('#');
            if (hash >= 0 && (level.Length != 1 || slash >= 0))
            {
                // '#' must be the last character and occupy a whole level [MQTT-4.7.1-2].
                return new(TopicValidationError.InvalidMultiLevelWildcard);
            }

            var plus = level.IndexOf('+');
            if (plus >= 0 && level.Length != 1)
            {
                return new(TopicValidationError.InvalidSingleLevelWildcard); // [MQTT-4.7.1-3]
            }

            if (slash < 0)
            {
                break;
            }

            rest = rest[(slash + 1)..];
        }

        return levels > maxLevels ? new(TopicValidationError.TooManyLevels) : TopicValidationResult.Valid;
    }

    /// <summary>U+0000, unpaired surrogates and the 65,535 UTF-8 byte limit, for names and filters alike.</summary>
    private static TopicValidationResult CheckEncoding(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxUtf8Bytes)
        {
            return new(TopicValidationError.TooLong); // every char is at least one UTF-8 byte
        }

        if (text.Contains('\0'))
        {
            return new(TopicValidationError.NullCharacter); // [MQTT-4.7.3-2]
        }

        if (Ascii.IsValid(text))
        {
            return TopicValidationResult.Valid; // common case: one byte per char, already <= 65535
        }

        long bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return new(TopicValidationError.InvalidUtf16);
                }

                bytes += 4;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return new(TopicValidationError.InvalidUtf16);
            }
            else
            {
                bytes += 3;
            }
        }

        return bytes > MaxUtf8Bytes ? new(TopicValidationError.TooLong) : TopicValidationResult.Valid;
    }
}
