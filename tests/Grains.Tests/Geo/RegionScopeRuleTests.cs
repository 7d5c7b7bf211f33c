using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Tests.Geo;

public sealed class RegionScopeRuleTests
{
    [Theory]
    [InlineData("310104", "310104", true)]
    [InlineData("310104", "31010400101", true)]
    [InlineData("310104", "310105", false)]
    [InlineData("310100", "310100", true)]
    [InlineData("310100", "310104", true)]        // a city covers its districts, which keep only its first four digits
    [InlineData("310100", "31010400101", true)]
    [InlineData("310100", "320104", false)]
    [InlineData("310000", "310104", false)]       // only the prefecture ("xxxx00") rule, no province guess
    [InlineData("", "310104", true)]              // the whole system
    [InlineData(null, "310104", false)]
    [InlineData("310104", null, false)]
    public void AScopeCoversItsOwnCodeAndEverythingBelowIt(string? scope, string? code, bool covers) =>
        Assert.Equal(covers, RegionScopeRule.Covers(scope, code));

    [Fact]
    public void TheRuleAgreesWithTheCodeSchemeOnEveryRegionOfASyntheticCity()
    {
        var tree = SyntheticCity.Generate(SyntheticCityOptions.Demo).Tree;
        var codes = tree.All().Select(n => n.Code).ToList();
        foreach (var scope in codes.Where(c => tree.Find(c)!.Level != RegionLevel.Grid))
        {
            foreach (var code in codes) Assert.Equal(tree.Scheme.Covers(scope, code), RegionScopeRule.Covers(scope, code));
        }
    }
}
