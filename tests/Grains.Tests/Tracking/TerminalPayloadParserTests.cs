using System.Text;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class TerminalPayloadParserTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
    private static readonly long Now = Time.GetUtcNow().ToUnixTimeMilliseconds();
    private static readonly TerminalPayloadParser Parser = new(new TrackingOptions { MaxFixesPerPayload = 3 }, Time);

    private static PositionFix[] Parse(string json)
    {
        Assert.True(Parser.TryParsePositions(Encoding.UTF8.GetBytes(json), out var fixes, out var error), error);
        return fixes;
    }

    private static string Reject(string json)
    {
        Assert.False(Parser.TryParsePositions(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        return error!;
    }

    [Fact]
    public void ParsesASingleFixWithEveryField()
    {
        var fix = Assert.Single(Parse($$"""{"lat":31.23,"lon":121.47,"acc":4.5,"spd":1.2,"hdg":270,"bat":87,"ts":{{Now}},"extra":[1]}"""));
        Assert.Equal(new PositionFix(31.23, 121.47, 4.5, 1.2, 270, 87, Now), fix);
    }

    [Fact]
    public void ParsesAnArrayAndOptionalFieldsMayBeMissingOrNull()
    {
        var fixes = Parse($$"""[{"lat":1,"lon":2,"ts":{{Now}}},{"lat":1.5,"lon":2.5,"acc":null,"ts":{{Now + 1000}}}]""");
        Assert.Equal(2, fixes.Length);
        Assert.Null(fixes[1].Acc);
        Assert.Equal(Now + 1000, fixes[1].Ts);
    }

    [Fact]
    public void AcceptsUnixSecondsAndIso8601Timestamps()
    {
        Assert.Equal(Now, Parse($$"""{"lat":1,"lon":2,"ts":{{Now / 1000}}}""")[0].Ts);
        Assert.Equal(Now, Parse("""{"lat":1,"lon":2,"ts":"2026-03-02T09:00:00+08:00"}""")[0].Ts);
        Assert.Contains("ts", Reject("""{"lat":1,"lon":2,"ts":"2026-03-02T01:00:00"}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"lat\":1,")]
    [InlineData("[{\"lat\":1,\"lon\":2,\"ts\":1}")]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("[1]")]
    [InlineData("{} {}")]
    public void RejectsMalformedPayloads(string json) => Reject(json);

    [Theory]
    [InlineData("\"lat\":91,\"lon\":2", "lat")]
    [InlineData("\"lat\":1,\"lon\":-180.5", "lon")]
    [InlineData("\"lat\":1,\"lon\":2,\"acc\":-1", "acc")]
    [InlineData("\"lat\":1,\"lon\":2,\"bat\":101", "bat")]
    [InlineData("\"lat\":1,\"lon\":2,\"hdg\":361", "hdg")]
    [InlineData("\"lat\":\"1\",\"lon\":2", "lat")]
    public void RejectsOutOfRangeValuesNamingTheField(string fields, string field) =>
        Assert.Contains(field, Reject("{" + fields + ",\"ts\":" + Now + "}"));

    [Theory]
    [InlineData("""{"lon":2,"ts":1772413200000}""", "lat")]
    [InlineData("""{"lat":1,"ts":1772413200000}""", "lon")]
    [InlineData("""{"lat":1,"lon":2}""", "ts")]
    public void RejectsMissingRequiredFields(string json, string field) => Assert.Contains($"{field} is required", Reject(json));

    [Fact]
    public void RejectsTimestampsTooFarInTheFutureOrPast()
    {
        Assert.Contains("future", Reject($$"""{"lat":1,"lon":2,"ts":{{Now + 3_600_000}}}"""));
        Assert.Contains("old", Reject($$"""{"lat":1,"lon":2,"ts":{{Now - 30L * 86_400_000}}}"""));
    }

    [Fact]
    public void NamesTheBadFixInAnArrayAndCapsTheArrayLength()
    {
        Assert.StartsWith("Fix 1:", Reject($$"""[{"lat":1,"lon":2,"ts":{{Now}}},{"lat":100,"lon":2,"ts":{{Now}}}]"""));
        var four = string.Join(",", Enumerable.Range(0, 4).Select(i => $$"""{"lat":1,"lon":2,"ts":{{Now + i}}}"""));
        Assert.Contains("more than 3", Reject($"[{four}]"));
    }

    [Fact]
    public void ParsesSosWithAndWithoutNote()
    {
        Assert.True(Parser.TryParseSos(Encoding.UTF8.GetBytes($$"""{"lat":1,"lon":2,"ts":{{Now}},"note":"fall"}"""), out var sos, out _));
        Assert.Equal(new SosSignal(1, 2, Now, "fall"), sos);
        Assert.True(Parser.TryParseSos(Encoding.UTF8.GetBytes($$"""{"lat":1,"lon":2,"ts":{{Now}}}"""), out sos, out _));
        Assert.Null(sos!.Note);
        Assert.False(Parser.TryParseSos(Encoding.UTF8.GetBytes("""{"lat":1,"ts":1}"""), out _, out var error));
        Assert.NotNull(error);
    }
}
