namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// The one rule for "a user whose region scope is S may see region code C" (DESIGN.md, Security): C
/// starts with S's significant prefix. Region codes nest by prefix except at the top: a city is a
/// GB/T 2260 prefecture code ending in "00" (310100) whose districts keep only its first four digits
/// (310104), so a city scope matches on those four. Both grid-code presets (CJ/T 213, Beijing DB11)
/// share this; "" is the whole system. Auth scopes, case actors and warning authority all use it.
/// </summary>
public static class RegionScopeRule
{
    private const int CountyDigits = 6;
    private const int CityPrefixDigits = 4;

    /// <summary>The prefix a code must start with to lie inside <paramref name="scope"/>.</summary>
    public static ReadOnlySpan<char> SignificantPrefix(string scope) =>
        scope.Length == CountyDigits && scope.EndsWith("00", StringComparison.Ordinal) && !scope.EndsWith("0000", StringComparison.Ordinal)
            ? scope.AsSpan(0, CityPrefixDigits)
            : scope.AsSpan();

    public static bool Covers(string? scope, string? code) =>
        scope is not null && code is not null && code.AsSpan().StartsWith(SignificantPrefix(scope), StringComparison.Ordinal);
}
