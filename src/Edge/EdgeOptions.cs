using GridGov.Realtime.Edge.Security;

namespace GridGov.Realtime.Edge;

/// <summary>What the broker does when a client's offline / flow-controlled queue is full.</summary>
public enum QueueFullPolicy
{
    /// <summary>Drop the oldest queued message to make room (the newest state wins, like a position feed wants).</summary>
    DropOldest,
    /// <summary>Drop the message that does not fit.</summary>
    DropNew,
}

/// <summary>What the broker does when a connection's outbound bytes exceed <see cref="EdgeOptions.MaxOutboundQueueBytes"/>.</summary>
public enum SlowSubscriberPolicy
{
    /// <summary>Drop QoS 0 messages for that subscriber until it catches up (QoS 1/2 wait in the bounded session queue).</summary>
    DropMessages,
    /// <summary>Close the subscriber's connection (a persistent session keeps its QoS 1/2 queue).</summary>
    Disconnect,
}

/// <summary>Extra topic patterns granted to one account (integration accounts may get "#").</summary>
public sealed class EdgeAccessRule
{
    public List<string> Publish { get; set; } = [];
    public List<string> Subscribe { get; set; } = [];
}

/// <summary>The MQTT edge (configuration section "Edge"). Defaults are the named constants.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";
    public const int DefaultTcpPort = 1883;
    public const int DefaultTlsPort = 8883;
    public const string DefaultWebSocketPath = "/mqtt";
    public const int DefaultMaxPacketSize = 256 * 1024;
    public const int DefaultReceiveMaximum = 64;
    public const int DefaultMaxInflightPerClient = 32;
    public const int DefaultMaxQueuedMessagesPerClient = 1000;
    public const long DefaultMaxOutboundQueueBytes = 4 * 1024 * 1024;
    public const int DefaultTopicAliasMaximum = 32;
    public const int DefaultOutboundTopicAliasMaximum = 32;
    public const int DefaultConnectTimeoutSeconds = 10;
    public const int DefaultShutdownGracePeriodSeconds = 10;
    public const uint DefaultMaxSessionExpirySeconds = 7 * 24 * 3600;
    public const int DefaultConnectionsPerSecondPerAddress = 20;
    public const int DefaultMaxRetainedMessages = 100_000;
    public const long DefaultMaxRetainedBytes = 64L * 1024 * 1024;
    public const int DefaultMaxTopicLevels = 32;

    /// <summary>False turns the whole edge off (no listeners).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>"*" for all interfaces, or an IP address.</summary>
    public string ListenAddress { get; set; } = "*";

    /// <summary>Plain MQTT over TCP; 0 picks an ephemeral port (tests), -1 disables.</summary>
    public int TcpPort { get; set; } = DefaultTcpPort;

    /// <summary>MQTT over TLS; only listened on when both certificate paths are set.</summary>
    public int TlsPort { get; set; } = DefaultTlsPort;
    public string? TlsCertificatePath { get; set; }
    public string? TlsKeyPath { get; set; }

    /// <summary>MQTT over WebSocket on the HTTP port (subprotocol "mqtt"); null or empty disables.</summary>
    public string? WebSocketPath { get; set; } = DefaultWebSocketPath;

    /// <summary>Accept CONNECT without user name (closed test rigs only, like mosquitto's allow_anonymous).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>What anonymous clients may do when <see cref="AllowAnonymous"/> is on.</summary>
    public EdgeAccessRule AnonymousAccess { get; set; } = new();

    /// <summary>Per-account grants on top of the defaults, keyed by user name / device id (case-sensitive).</summary>
    public Dictionary<string, EdgeAccessRule> AccountRules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest packet accepted from a client (sent to 5.0 clients as Maximum Packet Size).</summary>
    public int MaxPacketSize { get; set; } = DefaultMaxPacketSize;

    /// <summary>Inbound QoS 1/2 publishes a client may have unacknowledged (5.0 Receive Maximum in CONNACK).</summary>
    public int ReceiveMaximum { get; set; } = DefaultReceiveMaximum;

    /// <summary>Outbound QoS 1/2 messages in flight per client (lowered further by a 5.0 client's Receive Maximum).</summary>
    public int MaxInflightPerClient { get; set; } = DefaultMaxInflightPerClient;

    /// <summary>Messages queued per session while offline or flow-controlled.</summary>
    public int MaxQueuedMessagesPerClient { get; set; } = DefaultMaxQueuedMessagesPerClient;

    public QueueFullPolicy QueueFullPolicy { get; set; } = QueueFullPolicy.DropOldest;

    /// <summary>Encoded bytes waiting to be written to one connection before <see cref="SlowSubscriberPolicy"/> applies.</summary>
    public long MaxOutboundQueueBytes { get; set; } = DefaultMaxOutboundQueueBytes;

    public SlowSubscriberPolicy SlowSubscriberPolicy { get; set; } = SlowSubscriberPolicy.DropMessages;

    /// <summary>Inbound topic aliases a 5.0 client may use (0 disables aliases).</summary>
    public int TopicAliasMaximum { get; set; } = DefaultTopicAliasMaximum;

    /// <summary>
    /// Topic aliases the broker assigns per 5.0 connection for the topics it sends, within the client's own Topic Alias
    /// Maximum (5.0 §3.3.2.3.4), least recently used replaced first; 0 sends every topic in full.
    /// </summary>
    public int OutboundTopicAliasMaximum { get; set; } = DefaultOutboundTopicAliasMaximum;

    /// <summary>A connection that has not sent CONNECT by then is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(DefaultConnectTimeoutSeconds);

    /// <summary>
    /// At a host stop, how long connections may take to finish the uplink handlers of what they already read; after
    /// that those are cancelled (their publishes go unacknowledged and are resent after the restart). Keep it below the
    /// host's shutdown timeout (30 s by default), which the rest of the server needs too.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(DefaultShutdownGracePeriodSeconds);

    /// <summary>Upper bound on a session's expiry; also the expiry of 3.1.1 persistent sessions (Clean Session 0).</summary>
    public uint MaxSessionExpirySeconds { get; set; } = DefaultMaxSessionExpirySeconds;

    /// <summary>New connections per second from one source address (burst twice that); 0 disables the limit.</summary>
    public int ConnectionsPerSecondPerAddress { get; set; } = DefaultConnectionsPerSecondPerAddress;

    public int MaxRetainedMessages { get; set; } = DefaultMaxRetainedMessages;
    public long MaxRetainedBytes { get; set; } = DefaultMaxRetainedBytes;
    public int MaxTopicLevels { get; set; } = DefaultMaxTopicLevels;

    internal bool TlsConfigured => !string.IsNullOrWhiteSpace(TlsCertificatePath) && !string.IsNullOrWhiteSpace(TlsKeyPath);

    internal EdgeAccessRule? RuleFor(string account) => AccountRules.TryGetValue(account, out var rule) ? rule : null;
}
