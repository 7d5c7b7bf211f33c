using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// The authority rules of warnings (DOMAIN.md §7 and the project's choices, see docs in README):
/// <list type="bullet">
/// <item>Only command staff and admins act on warnings.</item>
/// <item>A scope covers a region when it is "" (whole system), a code prefix of the region's code (the
/// host's <c>RegionScope.Covers</c>), or the code scheme says it encloses it (a city scope <c>310100</c>
/// covers district <c>310104</c>).</item>
/// <item>The level of a scope, relative to a region it covers, is the level of the topmost region on
/// the region's ancestor chain that it covers ("" and a city prefix count as city).</item>
/// <item>Issue: non-admins need a scope covering the region at or above the configured issuer level of
/// the warning level; every issue needs the region at or above the level's lowest target level.</item>
/// <item>Change and lift: admin, the issuer, or a user whose scope strictly contains the issuer's scope
/// (a superior). Raising or lowering also needs the authority to issue the new level.</item>
/// </list>
/// </summary>
public sealed class WarningAuthority(WarningOptions options)
{
    public const string Admin = "admin";
    public const string CommandStaff = "command_staff";

    public WarningOptions Options => options;

    public static bool IsAdmin(WarningActor actor) => actor.Role == Admin;

    private static bool Covers(string? scope, string code) => RegionScopeRule.Covers(scope, code);

    /// <summary>The level of <paramref name="scope"/> relative to <paramref name="region"/>, or null when it does not cover it.</summary>
    public RegionLevel? ScopeLevel(string? scope, RegionNode region)
    {
        if (scope is null) return null;
        if (scope.Length == 0) return RegionLevel.City;
        RegionLevel? level = null;
        for (var n = region; n is not null; n = n.Parent)
        {
            if (Covers(scope, n.Code)) level = n.Level;
        }
        return level;
    }

    /// <summary>True when scope <paramref name="superior"/> strictly contains scope <paramref name="issuer"/>.</summary>
    public bool StrictlyContains(string? superior, string issuer) =>
        superior is not null && !string.Equals(superior, issuer, StringComparison.Ordinal)
        && (superior.Length == 0 || (issuer.Length > 0 && Covers(superior, issuer)));

    /// <summary>Null when <paramref name="actor"/> may put a <paramref name="level"/> warning on <paramref name="region"/>, else the failure.</summary>
    public WarningResult? CheckLevel(WarningActor actor, RegionNode region, WarningLevel level)
    {
        // Authority first (a street user may not issue orange anywhere: 403), then where the level may apply (400).
        if (!IsAdmin(actor))
        {
            if (actor.Role != CommandStaff) return WarningResult.Forbidden("Only command staff (or an admin) act on warnings.");
            if (ScopeLevel(actor.Scope, region) is not { } scopeLevel)
                return WarningResult.Forbidden($"Region {region.Code} is outside your region scope.");
            var needed = options.IssuerFor(level);
            if (scopeLevel > needed)
                return WarningResult.Forbidden($"A {level} warning needs a {needed.ToWireName()}-level (or higher) scope; yours is {scopeLevel.ToWireName()}-level.");
        }
        var lowestTarget = options.LowestTargetFor(level);
        if (region.Level > lowestTarget)
            return WarningResult.Invalid("level", $"A {level} warning is issued for a {lowestTarget.ToWireName()} or a larger region, not a {region.Level.ToWireName()}.");
        return null;
    }

    /// <summary>Null when <paramref name="actor"/> is the warning's issuer, a superior of the issuer, or an admin; else Forbidden.</summary>
    public WarningResult? CheckIssuerOrSuperior(WarningActor actor, WarningView warning)
    {
        if (IsAdmin(actor)) return null;
        if (actor.Role != CommandStaff) return WarningResult.Forbidden("Only command staff (or an admin) act on warnings.");
        if (string.Equals(actor.UserName, warning.IssuedBy, StringComparison.Ordinal)) return null;
        if (StrictlyContains(actor.Scope, warning.IssuerScope)) return null;
        return WarningResult.Forbidden($"Only the issuer ({warning.IssuedBy}) or a superior of scope '{warning.IssuerScope}' may change warning {warning.Id}.");
    }
}
