using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class RegionScopeTests
{
    [Theory]
    [InlineData("310104", "310104", true)]
    [InlineData("310104", "310104001", true)]
    [InlineData("310104", "310105001", false)]
    [InlineData("310104", "3101", false)]
    [InlineData("310104", "", false)]
    [InlineData("310104", "31010x", false)]
    [InlineData("", "310104", true)]
    [InlineData("", "", true)]
    [InlineData("", "abc", false)]
    [InlineData("310100", "310104001", true)] // a city scope covers its districts (GB/T 2260: they keep its first four digits)
    [InlineData("310100", "320104", false)]
    public void Covers_is_prefix_on_valid_codes(string scope, string code, bool expected) =>
        Assert.Equal(expected, RegionScope.Parse(scope).Covers(code));

    [Fact]
    public void Default_scope_covers_nothing()
    {
        RegionScope none = default;
        Assert.True(none.IsNone);
        Assert.False(none.Covers("310104"));
        Assert.False(none.Covers(""));
        Assert.False(none.Covers(null));
    }

    [Theory]
    [InlineData("31a")]
    [InlineData(" 3101")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData(null)]
    public void TryParse_rejects_non_digit_or_overlong(string? value) => Assert.False(RegionScope.TryParse(value, out _));

    [Fact]
    public void Contains_compares_scopes()
    {
        Assert.True(RegionScope.WholeSystem.Contains(RegionScope.Parse("3101")));
        Assert.True(RegionScope.Parse("3101").Contains(RegionScope.Parse("310104")));
        Assert.False(RegionScope.Parse("310104").Contains(RegionScope.WholeSystem));
        Assert.Equal(RegionScope.Parse("3101"), RegionScope.Parse("3101"));
    }
}
