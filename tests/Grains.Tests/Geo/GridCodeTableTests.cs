using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class GridCodeTableTests
{
    [Fact]
    public void Finds_every_code_by_value_and_nothing_else()
    {
        var codes = SyntheticCity.Generate(SyntheticCityOptions.Benchmark with { TotalGrids = null, GridsPerCommunity = 4 })
            .Tree.Grids.Select(g => g.Code).Append("7").Append("abc").ToArray();
        var table = new GridCodeTable(codes);
        for (var i = 0; i < codes.Length; i++)
        {
            Assert.True(table.TryGetIndex(new string(codes[i].AsSpan()), out var index));
            Assert.Equal(i, index);
        }
        Assert.False(table.TryGetIndex("31010100100199", out _));
        Assert.False(table.TryGetIndex("", out _));
        Assert.False(table.TryGetIndex("8", out _));
    }
}
