namespace GridGov.Realtime.Edge.Topics;

/// <summary>
/// Matches one topic name against one topic filter (3.1.1 / 5.0 §4.7). Useful for authorization
/// rules and as the reference the tries are tested against. Allocation-free; assumes both
/// arguments are already valid (see <see cref="TopicValidator"/>). Shared-subscription prefixes
/// must be stripped by the caller.
/// </summary>
public static class TopicMatcher
{
    public static bool IsMatch(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        if (filter.IsEmpty || topic.IsEmpty)
        {
            return false;
        }

        // §4.7.2 [MQTT-4.7.2-1]: filters starting with a wildcard never match topics starting with '$'.
        if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        var f = filter;
        var t = topic;
        var topicDone = false; // all topic levels consumed
        while (true)
        {
            var fs = f.IndexOf('/');
            var fLevel = fs < 0 ? f : f[..fs];

            if (fLevel.Length == 1 && fLevel[0] == '#')
            {
                // '#' matches the parent level and any number of child levels (§4.7.1.2).
                return true;
            }

            if (topicDone)
            {
                return false; // filter has more (non-'#') levels than the topic
            }

            var ts = t.IndexOf('/');
            var tLevel = ts < 0 ? t : t[..ts];

            if (!(fLevel.Length == 1 && fLevel[0] == '+') && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fs < 0)
            {
                return ts < 0; // filter exhausted: match only if the topic is too
            }

            f = f[(fs + 1)..];
            if (ts < 0)
            {
                topicDone = true; // e.g. "a/#" against "a": only a '#' level may follow
            }
            else
            {
                t = t[(ts + 1)..];
            }
        }
    }
}
