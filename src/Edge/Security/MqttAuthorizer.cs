using GridGov.Realtime.Edge.Topics;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Edge.Security;

/// <summary>Applies a principal's filters plus the per-account rules from configuration.</summary>
internal sealed class MqttAuthorizer(IOptions<EdgeOptions> options)
{
    private readonly EdgeOptions _options = options.Value;

    public bool CanPublish(MqttPrincipal principal, string topic)
    {
        // Indexed, not foreach: enumerating an IReadOnlyList boxes its enumerator, once per PUBLISH.
        var filters = principal.PublishFilters;
        for (var i = 0; i < filters.Count; i++) if (TopicMatcher.IsMatch(filters[i], topic)) return true;
        if (_options.RuleFor(principal.Name) is { } rule)
        {
            foreach (var f in rule.Publish) if (TopicMatcher.IsMatch(f, topic)) return true;
        }

        return false;
    }

    /// <summary>For a shared subscription pass the inner filter (the share name grants nothing).</summary>
    public bool CanSubscribe(MqttPrincipal principal, ReadOnlySpan<char> filter)
    {
        foreach (var f in principal.SubscribeFilters) if (MqttAccessRules.Covers(f, filter)) return true;
        if (_options.RuleFor(principal.Name) is { } rule)
        {
            foreach (var f in rule.Subscribe) if (MqttAccessRules.Covers(f, filter)) return true;
        }

        return false;
    }
}
