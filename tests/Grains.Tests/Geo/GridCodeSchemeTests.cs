using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class GridCodeSchemeTests
{
    private static readonly GridCodeScheme Cj = GridCodeScheme.CjT213;

    [Theory]
    [InlineData("310100", RegionLevel.City)]
    [InlineData("310104", RegionLevel.District)]
    [InlineData("310104001", RegionLevel.Street)]
    [InlineData("310104001002", RegionLevel.Community)]
    [InlineData("31010400100203", RegionLevel.Grid)]
    public void Levels_follow_code_length_and_prefecture_zeros(string code, RegionLevel expected)
    {
        Assert.True(Cj.TryGetLevel(code, out var level, out var error), error);
        Assert.Equal(expected, level);
        Assert.Equal(expected, Cj.GetLevel(code));
    }

    [Fact]
    public void Beijing_preset_has_a_three_digit_grid_sequence()
    {
        var bj = GridCodeScheme.BeijingDb11;
        Assert.Equal(15, bj.LengthOf(RegionLevel.Grid));
        Assert.Equal(RegionLevel.Grid, bj.GetLevel("110101001002003"));
        Assert.False(bj.TryGetLevel("11010100100203", out _, out var error));
        Assert.Contains("15 (grid)", error, StringComparison.Ordinal);
        Assert.Equal("110101001002", bj.ParentOf("110101001002003"));
        Assert.Equal(14, Cj.LengthOf(RegionLevel.Grid));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("3101O4", "non-digit character 'O' at position 5")]
    [InlineData("31010400100", "has 11 digits")]
    [InlineData("000000", "all zeros")]
    [InlineData("310104000", "all-zero street segment")]
    [InlineData("31010400100200", "all-zero grid segment")]
    public void Invalid_codes_are_explained(string code, string expectedFragment)
    {
        Assert.False(Cj.TryGetLevel(code, out _, out var error));
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => Cj.GetLevel(code));
        Assert.Contains(expectedFragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_against_a_level_names_both_levels()
    {
        Assert.True(Cj.TryValidate("310104001", RegionLevel.Street, out _));
        Assert.False(Cj.TryValidate("310104001", RegionLevel.Community, out var error));
        Assert.Contains("street code", error, StringComparison.Ordinal);
        Assert.Contains("not a community code (12 digits)", error, StringComparison.Ordinal);
        Assert.False(Cj.TryValidate("310104", RegionLevel.City, out error));
        Assert.Contains("ending in 00", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("310100", null)]
    [InlineData("310104", "310100")]
    [InlineData("310104001", "310104")]
    [InlineData("310104001002", "310104001")]
    [InlineData("31010400100203", "310104001002")]
    public void Parent_is_the_code_one_level_up(string code, string? parent) => Assert.Equal(parent, Cj.ParentOf(code));

    [Theory]
    [InlineData("310100", "31010400100203", true)]
    [InlineData("310100", "310104", true)]
    [InlineData("310104", "31010400100203", true)]
    [InlineData("310104001", "310104001002", true)]
    [InlineData("310104", "310104", true)]
    [InlineData("310104", "310105001", false)]
    [InlineData("310104001", "310104002001", false)]
    [InlineData("310100", "320104", false)]
    [InlineData("31010400100203", "310104001002", false)]
    [InlineData("bogus", "310104", false)]
    [InlineData("310104", "bogus", false)]
    [InlineData(null, "310104", false)]
    public void Covers_scope_and_everything_below(string? scope, string? code, bool expected) =>
        Assert.Equal(expected, Cj.Covers(scope, code));

    [Fact]
    public void Ancestor_is_strict()
    {
        Assert.True(Cj.IsAncestorOf("310100", "310104001"));
        Assert.False(Cj.IsAncestorOf("310104", "310104"));
        Assert.False(Cj.IsAncestorOf("310104001", "310104"));
    }

    [Fact]
    public void Child_codes_are_zero_padded_segments()
    {
        Assert.Equal("310107", Cj.ChildCode("310100", 7));
        Assert.Equal("310104012", Cj.ChildCode("310104", 12));
        Assert.Equal("31010401200105", Cj.ChildCode("310104012001", 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cj.ChildCode("310104012001", 100));
        Assert.Throws<ArgumentException>(() => Cj.ChildCode("31010401200105", 1));
    }

    [Fact]
    public void Custom_segment_lengths_are_honoured()
    {
        var custom = new GridCodeScheme("custom", streetDigits: 2, communityDigits: 2, gridDigits: 4);
        Assert.Equal(14, custom.LengthOf(RegionLevel.Grid));
        Assert.Equal(RegionLevel.Community, custom.GetLevel("3101040102"));
        Assert.Equal("3101040102", custom.ParentOf("31010401020003"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridCodeScheme("bad", cityPrefixDigits: 6));
    }
}
