using System.Diagnostics.CodeAnalysis;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// The part of the region tree a user may see (<see cref="RegionScopeRule"/>). Scope "310104" covers
/// "310104" and every code below it ("310104001", ...); city scope "310100" covers its districts ("310104"). <see cref="WholeSystem"/> (code "") covers
/// everything and is meant for admins. <c>default(RegionScope)</c> is <see cref="None"/> and covers
/// nothing, so a missing scope never grants access by accident.
/// </summary>
public readonly struct RegionScope : IEquatable<RegionScope>
{
    /// <summary>Longest region code accepted anywhere (city → grid codes are far shorter).</summary>
    public const int MaxCodeLength = 32;

    private readonly string? _code;

    private RegionScope(string code) => _code = code;

    /// <summary>The scope that covers every region.</summary>
    public static RegionScope WholeSystem { get; } = new(string.Empty);

    /// <summary>The scope that covers nothing (the default value).</summary>
    public static RegionScope None => default;

    /// <summary>The region code prefix; "" for the whole system; null for <see cref="None"/>.</summary>
    public string? Code => _code;

    public bool IsNone => _code is null;

    public bool IsWholeSystem => _code is { Length: 0 };

    /// <summary>True when a user with this scope may see region <paramref name="regionCode"/>.</summary>
    public bool Covers(string? regionCode) =>
        _code is not null
        && regionCode is not null
        && (regionCode.Length == 0 ? _code.Length == 0 : IsValidCode(regionCode))
        && RegionScopeRule.Covers(_code, regionCode);

    /// <summary>True when this scope covers all of <paramref name="other"/> (for delegation checks).</summary>
    public bool Contains(RegionScope other) => other._code is not null && Covers(other._code);

    /// <summary>Parses a scope: "" (whole system) or 1–32 ASCII digits.</summary>
    public static bool TryParse(string? value, out RegionScope scope)
    {
        if (value is not null && (value.Length == 0 || IsValidCode(value)))
        {
            scope = value.Length == 0 ? WholeSystem : new RegionScope(value);
            return true;
        }
        scope = None;
        return false;
    }

    public static RegionScope Parse(string value) =>
        TryParse(value, out var scope)
            ? scope
            : throw new FormatException($"A region scope is empty (whole system) or 1–{MaxCodeLength} digits; got '{value}'.");

    /// <summary>A region code is 1–32 ASCII digits.</summary>
    public static bool IsValidCode([NotNullWhen(true)] string? code) =>
        code is { Length: > 0 and <= MaxCodeLength } && code.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    public bool Equals(RegionScope other) => string.Equals(_code, other._code, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RegionScope other && Equals(other);

    public override int GetHashCode() => _code is null ? 0 : StringComparer.Ordinal.GetHashCode(_code);

    public override string ToString() => _code switch { null => "(none)", "" => "(whole system)", var c => c };

    public static bool operator ==(RegionScope left, RegionScope right) => left.Equals(right);

    public static bool operator !=(RegionScope left, RegionScope right) => !left.Equals(right);
}
