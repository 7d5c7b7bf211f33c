using System.Diagnostics.CodeAnalysis;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// A unit-grid coding scheme (DOMAIN.md §1): a numeric code whose prefixes are the codes of the
/// enclosing regions. Default CJ/T 213-2005: 6-digit county code (GB/T 2260) + 3 street
/// (GB/T 10114) + 3 community + 2 grid sequence = 14 digits; Beijing DB11 uses a 3-digit grid
/// sequence (15 digits).
/// </summary>
/// <remarks>
/// Level codes, decided here:
/// <list type="bullet">
/// <item>City: the 6-digit GB/T 2260 prefecture code, e.g. <c>310100</c>. Its last
/// <c>CountyDigits - CityPrefixDigits</c> digits are zero, which is how GB/T 2260 tells a
/// prefecture (XXYY00) from a county/district (XXYYZZ, ZZ ≠ 00). Only its first
/// <see cref="CityPrefixDigits"/> digits are significant when testing ancestry.</item>
/// <item>District: the 6-digit county/district code, e.g. <c>310104</c>; parent = prefix + "00".</item>
/// <item>Street (9), Community (12), Grid (14 or 15): parent = the code without its last segment.</item>
/// </list>
/// A segment below the county may not be all zeros: sequence numbers start at 1, and an
/// all-zero segment is almost always a truncated or padded code.
/// </remarks>
public sealed record GridCodeScheme
{
    public GridCodeScheme(string name, int countyDigits = 6, int cityPrefixDigits = 4, int streetDigits = 3,
        int communityDigits = 3, int gridDigits = 2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (countyDigits < 2) throw new ArgumentOutOfRangeException(nameof(countyDigits), countyDigits, "County code needs at least 2 digits.");
        if (cityPrefixDigits < 1 || cityPrefixDigits >= countyDigits)
            throw new ArgumentOutOfRangeException(nameof(cityPrefixDigits), cityPrefixDigits, "City prefix must be shorter than the county code.");
        if (streetDigits < 1) throw new ArgumentOutOfRangeException(nameof(streetDigits), streetDigits, "Street segment needs at least 1 digit.");
        if (communityDigits < 1) throw new ArgumentOutOfRangeException(nameof(communityDigits), communityDigits, "Community segment needs at least 1 digit.");
        if (gridDigits < 1) throw new ArgumentOutOfRangeException(nameof(gridDigits), gridDigits, "Grid segment needs at least 1 digit.");
        Name = name;
        CountyDigits = countyDigits;
        CityPrefixDigits = cityPrefixDigits;
        StreetDigits = streetDigits;
        CommunityDigits = communityDigits;
        GridDigits = gridDigits;
    }

    /// <summary>CJ/T 213-2005: 6 + 3 + 3 + 2 = 14 digits.</summary>
    public static GridCodeScheme CjT213 { get; } = new("CJ/T 213", gridDigits: 2);

    /// <summary>Beijing DB11: 6 + 3 + 3 + 3 = 15 digits (grid sequence numbered W→E, N→S).</summary>
    public static GridCodeScheme BeijingDb11 { get; } = new("Beijing DB11", gridDigits: 3);

    public string Name { get; }
    public int CountyDigits { get; }
    public int CityPrefixDigits { get; }
    public int StreetDigits { get; }
    public int CommunityDigits { get; }
    public int GridDigits { get; }

    /// <summary>Total characters of a code at <paramref name="level"/> (a city code is as long as a district code).</summary>
    public int LengthOf(RegionLevel level) => level switch
    {
        RegionLevel.City or RegionLevel.District => CountyDigits,
        RegionLevel.Street => CountyDigits + StreetDigits,
        RegionLevel.Community => CountyDigits + StreetDigits + CommunityDigits,
        RegionLevel.Grid => CountyDigits + StreetDigits + CommunityDigits + GridDigits,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown region level."),
    };

    /// <summary>Digits of a code at <paramref name="level"/> that a descendant's code starts with.</summary>
    public int SignificantLength(RegionLevel level) => level == RegionLevel.City ? CityPrefixDigits : LengthOf(level);

    /// <summary>Length of the last segment of a code at <paramref name="level"/> (its sequence within the parent).</summary>
    public int SegmentLength(RegionLevel level) => level switch
    {
        RegionLevel.City => CityPrefixDigits,
        RegionLevel.District => CountyDigits - CityPrefixDigits,
        RegionLevel.Street => StreetDigits,
        RegionLevel.Community => CommunityDigits,
        RegionLevel.Grid => GridDigits,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown region level."),
    };

    /// <summary>Determines the level of a code, or explains why it is not a valid code of this scheme.</summary>
    public bool TryGetLevel([NotNullWhen(true)] string? code, out RegionLevel level, [NotNullWhen(false)] out string? error)
    {
        level = default;
        if (string.IsNullOrEmpty(code))
        {
            error = "Code is empty.";
            return false;
        }
        for (var i = 0; i < code.Length; i++)
        {
            if (!char.IsAsciiDigit(code[i]))
            {
                error = $"Code '{code}' has a non-digit character '{code[i]}' at position {i + 1}; codes are digits only.";
                return false;
            }
        }

        if (code.Length == CountyDigits)
        {
            var isCity = code.AsSpan(CityPrefixDigits).IndexOfAnyExcept('0') < 0;
            if (isCity && code.AsSpan(0, CityPrefixDigits).IndexOfAnyExcept('0') < 0)
            {
                error = $"Code '{code}' is all zeros.";
                return false;
            }
            level = isCity ? RegionLevel.City : RegionLevel.District;
            error = null;
            return true;
        }

        RegionLevel? found = null;
        if (code.Length == LengthOf(RegionLevel.Street)) found = RegionLevel.Street;
        else if (code.Length == LengthOf(RegionLevel.Community)) found = RegionLevel.Community;
        else if (code.Length == LengthOf(RegionLevel.Grid)) found = RegionLevel.Grid;
        if (found is not { } l)
        {
            error = $"Code '{code}' has {code.Length} digits; the {Name} scheme expects {CountyDigits} (city or district), " +
                    $"{LengthOf(RegionLevel.Street)} (street), {LengthOf(RegionLevel.Community)} (community) or {LengthOf(RegionLevel.Grid)} (grid).";
            return false;
        }

        // Every segment from the district down must be a real sequence number, not zero padding.
        for (var lv = RegionLevel.District; lv <= l; lv++)
        {
            var end = LengthOf(lv);
            var len = SegmentLength(lv);
            if (code.AsSpan(end - len, len).IndexOfAnyExcept('0') < 0)
            {
                error = $"Code '{code}' has an all-zero {lv.ToWireName()} segment (digits {end - len + 1}–{end}); sequence numbers start at 1.";
                return false;
            }
        }
        level = l;
        error = null;
        return true;
    }

    /// <summary>Validates that <paramref name="code"/> is a code of this scheme at exactly <paramref name="expected"/>.</summary>
    public bool TryValidate([NotNullWhen(true)] string? code, RegionLevel expected, [NotNullWhen(false)] out string? error)
    {
        if (!TryGetLevel(code, out var actual, out error)) return false;
        if (actual != expected)
        {
            error = $"Code '{code}' is a {actual.ToWireName()} code ({code.Length} digits), not a {expected.ToWireName()} code" +
                    (expected == RegionLevel.City ? $" (a city code is a {CountyDigits}-digit prefecture code ending in {new string('0', CountyDigits - CityPrefixDigits)})."
                     : expected == RegionLevel.District ? $" (a district code is {CountyDigits} digits not ending in {new string('0', CountyDigits - CityPrefixDigits)})."
                     : $" ({LengthOf(expected)} digits).");
            return false;
        }
        return true;
    }

    /// <summary>The level of a code; throws <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public RegionLevel GetLevel(string code) =>
        TryGetLevel(code, out var level, out var error) ? level : throw new FormatException(error);

    public bool IsValid([NotNullWhen(true)] string? code) => TryGetLevel(code, out _, out _);

    /// <summary>The code of the enclosing region, or null for a city. Throws <see cref="FormatException"/> for an invalid code.</summary>
    public string? ParentOf(string code) => GetLevel(code) switch
    {
        RegionLevel.City => null,
        RegionLevel.District => string.Concat(code.AsSpan(0, CityPrefixDigits), new string('0', CountyDigits - CityPrefixDigits)),
        var level => code[..LengthOf(level - 1)],
    };

    /// <summary>True when <paramref name="ancestor"/> strictly encloses <paramref name="code"/>. False for invalid codes.</summary>
    public bool IsAncestorOf(string? ancestor, string? code)
    {
        if (!TryGetLevel(ancestor, out var al, out _) || !TryGetLevel(code, out var cl, out _)) return false;
        return al < cl && code.AsSpan().StartsWith(ancestor.AsSpan(0, SignificantLength(al)), StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether a user whose region scope is <paramref name="scopeCode"/> may see <paramref name="code"/>:
    /// the scope itself or anything under it (DESIGN.md, Security). False for invalid codes, so a
    /// malformed scope sees nothing.
    /// </summary>
    public bool Covers(string? scopeCode, string? code) =>
        (scopeCode is not null && IsValid(scopeCode) && string.Equals(scopeCode, code, StringComparison.Ordinal))
        || IsAncestorOf(scopeCode, code);

    /// <summary>Composes the code of the <paramref name="sequence"/>-th child (1-based) of <paramref name="parentCode"/>.</summary>
    public string ChildCode(string parentCode, int sequence)
    {
        var level = GetLevel(parentCode);
        if (level == RegionLevel.Grid) throw new ArgumentException($"Grid '{parentCode}' has no children.", nameof(parentCode));
        var childLevel = level + 1;
        var len = SegmentLength(childLevel);
        var max = (int)Math.Min(int.MaxValue, Math.Pow(10, len) - 1);
        if (sequence < 1 || sequence > max)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"A {childLevel.ToWireName()} sequence has {len} digits: 1..{max}.");
        var seq = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(len, '0');
        return level == RegionLevel.City
            ? string.Concat(parentCode.AsSpan(0, CityPrefixDigits), seq)
            : parentCode + seq;
    }
}
