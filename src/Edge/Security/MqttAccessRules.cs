namespace GridGov.Realtime.Edge.Security;

/// <summary>The default ACL of the v1 topic scheme (DESIGN.md "Edge") and the filter-coverage check behind it.</summary>
public static class MqttAccessRules
{
    public const string Prefix = "gridgov/v1/";

    /// <summary>
    /// A terminal publishes under its own id and subscribes to its task downlink and the warnings of its region and the
    /// regions above it (<paramref name="regionCodes"/>: its own code and its ancestors').
    /// </summary>
    public static MqttPrincipal Terminal(string deviceId, IEnumerable<string> regionCodes) => new(
        deviceId,
        MqttPrincipalKind.Terminal,
        [$"{Prefix}terminals/{deviceId}/#"],
        [$"{Prefix}terminals/{deviceId}/tasks", .. Warnings(regionCodes)]);

    /// <summary>A sensor publishes under its own id and may only read its regions' warnings.</summary>
    public static MqttPrincipal Sensor(string deviceId, IEnumerable<string> regionCodes) => new(
        deviceId,
        MqttPrincipalKind.Sensor,
        [$"{Prefix}sensors/{deviceId}/#"],
        [.. Warnings(regionCodes)]);

    /// <summary>A user account: responders read their escalations and acknowledge them; everyone reads the warnings of their scope.</summary>
    public static MqttPrincipal User(string userName, bool isResponder, IEnumerable<string> regionCodes) => new(
        userName,
        MqttPrincipalKind.User,
        isResponder ? [$"{Prefix}responders/{userName}/ack"] : [],
        [.. isResponder ? [$"{Prefix}responders/{userName}/escalations"] : Array.Empty<string>(), .. Warnings(regionCodes)]);

    private static IEnumerable<string> Warnings(IEnumerable<string> regionCodes) =>
        regionCodes.Where(c => c == "+" || (c.Length > 0 && c.IndexOfAny(['/', '+', '#']) < 0)).Distinct(StringComparer.Ordinal).Select(c => $"{Prefix}regions/{c}/warning");

    /// <summary>
    /// True when every topic matched by <paramref name="filter"/> is also matched by <paramref name="allowed"/>:
    /// level by level, '#' in the allowance covers the rest, '+' covers one level that is not '#', a literal covers only itself.
    /// </summary>
    public static bool Covers(ReadOnlySpan<char> allowed, ReadOnlySpan<char> filter)
    {
        var first = true;
        while (true)
        {
            var ai = allowed.IndexOf('/');
            var fi = filter.IndexOf('/');
            var a = ai < 0 ? allowed : allowed[..ai];
            var f = fi < 0 ? filter : filter[..fi];
            // [MQTT-4.7.2-1]: a leading wildcard does not reach '$' topics, so neither does such an allowance.
            var dollar = first && f.Length > 0 && f[0] == '$';
            if (a is "#") return !dollar;
            if (f is "#") return false;
            if (a is "+") { if (dollar) return false; }
            else if (!a.SequenceEqual(f)) return false;

            if (ai < 0 && fi < 0) return true;
            if (ai < 0) return false;
            // "a/#" also covers "a" (the parent level, §4.7.1.2).
            if (fi < 0) return allowed[(ai + 1)..] is "#";
            allowed = allowed[(ai + 1)..];
            filter = filter[(fi + 1)..];
            first = false;
        }
    }
}
