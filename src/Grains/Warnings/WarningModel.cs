using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>The four early-warning levels of DOMAIN.md §7, lowest first (so a larger value is more severe).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WarningLevel>))]
public enum WarningLevel
{
    /// <summary>四级, 蓝 — 一般.</summary>
    Blue = 1,
    /// <summary>三级, 黄 — 较重.</summary>
    Yellow = 2,
    /// <summary>二级, 橙 — 严重.</summary>
    Orange = 3,
    /// <summary>一级, 红 — 特别严重.</summary>
    Red = 4,
}

/// <summary>What happened to a warning, as recorded in the history.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WarningAction>))]
public enum WarningAction
{
    Issued,
    Raised,
    Lowered,
    Lifted,
}

/// <summary>How a warning command ended; the REST layer maps it to a status code.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WarningCommandStatus>))]
public enum WarningCommandStatus
{
    /// <summary>Applied, or a repeat of an applied request id (200/201).</summary>
    Ok,
    /// <summary>Bad or missing input (400); <see cref="WarningResult.Field"/> names it.</summary>
    Invalid,
    /// <summary>Wrong role, region scope or level authority, or not the issuer nor a superior (403).</summary>
    Forbidden,
    /// <summary>No such region or warning (404).</summary>
    NotFound,
    /// <summary>The warning is already lifted, or the request id was used for another command (409).</summary>
    Conflict,
}

/// <summary>
/// Who acts: user name, role and region scope (a code prefix: "" = whole system, null = none), as the
/// host's token says. Scope rules are <see cref="WarningAuthority"/>'s.
/// </summary>
public sealed record WarningActor(string UserName, string Role, string? Scope);

/// <summary>Issue a warning for the grain's region (and so for every region below it).</summary>
public sealed record IssueWarning(string RequestId, WarningActor Actor, WarningLevel Level, string Reason, string? Type = null);

/// <summary>Raise or lower an active warning to <see cref="Level"/>.</summary>
public sealed record ChangeWarning(string RequestId, WarningActor Actor, string WarningId, WarningLevel Level, string Reason);

/// <summary>Lift (end) an active warning; the reason is mandatory.</summary>
public sealed record LiftWarning(string RequestId, WarningActor Actor, string WarningId, string Reason);

/// <summary>
/// One warning as it is now. <see cref="Since"/> is when it reached its current level;
/// <see cref="IssuerScope"/> is the issuer's region scope, the reference for "the issuer's superiors".
/// </summary>
public sealed record WarningView(
    string Id,
    string RegionCode,
    WarningLevel Level,
    string? Type,
    string Reason,
    string IssuedBy,
    string IssuerRole,
    string IssuerScope,
    DateTimeOffset IssuedAt,
    DateTimeOffset Since,
    string ChangedBy,
    bool Active,
    DateTimeOffset? LiftedAt = null,
    string? LiftedBy = null);

/// <summary>One change of a warning: who, when, from which level to which (null when issued / lifted), why.</summary>
public sealed record WarningHistoryEntry(
    string WarningId,
    WarningAction Action,
    string By,
    string Role,
    DateTimeOffset At,
    WarningLevel? From,
    WarningLevel? To,
    string Reason,
    string RequestId);

/// <summary>The outcome of a warning command: on success the warning after it.</summary>
public sealed record WarningResult(WarningCommandStatus Status, WarningView? Warning, string? Error = null, string? Field = null, bool Replayed = false)
{
    public bool Succeeded => Status == WarningCommandStatus.Ok;

    public static WarningResult Invalid(string field, string error) => new(WarningCommandStatus.Invalid, null, error, field);
    public static WarningResult Forbidden(string error) => new(WarningCommandStatus.Forbidden, null, error);
    public static WarningResult NotFound(string error) => new(WarningCommandStatus.NotFound, null, error);
    public static WarningResult Conflict(string error, string? field = null) => new(WarningCommandStatus.Conflict, null, error, field);
}

/// <summary>
/// The retained message on <c>gridgov/v1/regions/{code}/warning</c>: the highest active warning issued
/// for that region. When none is active the topic's retained message is cleared (empty payload).
/// </summary>
public sealed record RegionWarningSignal(string Code, WarningLevel Level, string WarningId, string IssuedBy, DateTimeOffset Since, string Reason, string? Type);

/// <summary>
/// The effective level of a region: the highest active warning among the region itself and its
/// ancestors (null when none). <see cref="SourceRegion"/> is where that warning was issued.
/// </summary>
public sealed record EffectiveWarning(string Code, WarningLevel? Level, string? SourceRegion, WarningView? Warning);

/// <summary>Persistent state of one region's warning grain: every warning issued there (active and lifted) and their history.</summary>
public sealed class WarningRegionState
{
    public int LastSequence { get; set; }
    public List<WarningView> Warnings { get; set; } = [];
    public List<WarningHistoryEntry> History { get; set; } = [];
}

/// <summary>MQTT topics of warnings (DESIGN.md, topic scheme v1).</summary>
public static class WarningTopics
{
    public static string For(string regionCode) => $"gridgov/v1/regions/{regionCode}/warning";
}
