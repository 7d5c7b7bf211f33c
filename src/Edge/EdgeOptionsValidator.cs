using System.Net;
using GridGov.Realtime.Edge.Topics;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Edge;

/// <summary>Checks <see cref="EdgeOptions"/> at start-up so a bad setting stops the host instead of a client.</summary>
internal sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions o)
    {
        var errors = new List<string>();
        if (o.ListenAddress != "*" && !IPAddress.TryParse(o.ListenAddress, out _)) errors.Add("Edge:ListenAddress must be '*' or an IP address.");
        if (o.TcpPort is < -1 or > 65535) errors.Add("Edge:TcpPort must be -1 (off), 0 (ephemeral) or 1..65535.");
        if (o.TlsPort is < 0 or > 65535) errors.Add("Edge:TlsPort must be 0..65535.");
        if (string.IsNullOrWhiteSpace(o.TlsCertificatePath) != string.IsNullOrWhiteSpace(o.TlsKeyPath)) errors.Add("Edge:TlsCertificatePath and Edge:TlsKeyPath must be set together.");
        if (o.TlsConfigured && !File.Exists(o.TlsCertificatePath)) errors.Add($"Edge:TlsCertificatePath '{o.TlsCertificatePath}' does not exist.");
        if (o.TlsConfigured && !File.Exists(o.TlsKeyPath)) errors.Add($"Edge:TlsKeyPath '{o.TlsKeyPath}' does not exist.");
        if (!string.IsNullOrEmpty(o.WebSocketPath) && !o.WebSocketPath.StartsWith('/')) errors.Add("Edge:WebSocketPath must start with '/'.");
        if (o.MaxPacketSize is < 128 or > 268_435_460) errors.Add("Edge:MaxPacketSize must be 128..268435460 bytes.");
        if (o.ReceiveMaximum is < 1 or > 65535) errors.Add("Edge:ReceiveMaximum must be 1..65535.");
        if (o.MaxInflightPerClient is < 1 or > 65535) errors.Add("Edge:MaxInflightPerClient must be 1..65535.");
        if (o.MaxQueuedMessagesPerClient < 0) errors.Add("Edge:MaxQueuedMessagesPerClient must not be negative.");
        if (o.MaxOutboundQueueBytes < 1024) errors.Add("Edge:MaxOutboundQueueBytes must be at least 1024.");
        if (o.TopicAliasMaximum is < 0 or > 65535) errors.Add("Edge:TopicAliasMaximum must be 0..65535.");
        if (o.OutboundTopicAliasMaximum is < 0 or > 65535) errors.Add("Edge:OutboundTopicAliasMaximum must be 0..65535.");
        if (o.ConnectTimeout <= TimeSpan.Zero) errors.Add("Edge:ConnectTimeout must be positive.");
        if (o.ShutdownGracePeriod < TimeSpan.Zero) errors.Add("Edge:ShutdownGracePeriod must not be negative.");
        if (o.ConnectionsPerSecondPerAddress < 0) errors.Add("Edge:ConnectionsPerSecondPerAddress must not be negative.");
        if (o.MaxRetainedMessages < 0 || o.MaxRetainedBytes < 0) errors.Add("Edge:MaxRetainedMessages and MaxRetainedBytes must not be negative.");
        if (o.MaxTopicLevels < 1) errors.Add("Edge:MaxTopicLevels must be positive.");
        CheckFilters("Edge:AnonymousAccess", o.AnonymousAccess, errors);
        foreach (var (account, rule) in o.AccountRules) CheckFilters($"Edge:AccountRules:{account}", rule, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckFilters(string where, EdgeAccessRule rule, List<string> errors)
    {
        foreach (var f in rule.Publish.Concat(rule.Subscribe))
        {
            if (!TopicValidator.ValidateTopicFilter(f, allowShared: false).IsValid) errors.Add($"{where}: '{f}' is not a valid topic filter.");
        }
    }
}
