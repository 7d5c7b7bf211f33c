using System.Text;
using GridGov.Realtime.Grains.Sensors;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Grains.Tests.Sensors;

public sealed class SensorPayloadParserTests
{
    private static readonly FakeTimeProvider Time = new();
    private static readonly SensorPayloadParser Parser = new(new SensorEventRulesOptions(), Time);
    private static long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static SensorEvent Event(string json)
    {
        Assert.True(Parser.TryParseEvent(Encoding.UTF8.GetBytes(json), out var e, out var error), error);
        return e!;
    }

    private static string EventError(string json)
    {
        Assert.False(Parser.TryParseEvent(Encoding.UTF8.GetBytes(json), out var e, out var error));
        Assert.Null(e);
        return error!;
    }

    [Fact]
    public void Parses_a_full_event()
    {
        var e = Event($$"""{"type":"Manhole_Cover_Open","severity":4,"ts":{{Now}},"lat":31.2,"lon":121.4,"media":["https://m.example/1.jpg","key/2.mp4"],"vendor":{"x":1},"z":0}""");
        Assert.Equal(("manhole_cover_open", 4, Now, 31.2, 121.4), (e.Type, e.Severity, e.Ts, e.Lat!.Value, e.Lon!.Value));
        Assert.Equal(["https://m.example/1.jpg", "key/2.mp4"], e.Media);
    }

    [Theory]
    [InlineData("\"info\"", 1)]
    [InlineData("\"HIGH\"", 4)]
    [InlineData("\"critical\"", 5)]
    [InlineData("3", 3)]
    public void Severity_is_a_level_or_a_name(string severity, int expected) =>
        Assert.Equal(expected, Event($$"""{"type":"smoke","severity":{{severity}},"ts":{{Now}}}""").Severity);

    [Fact]
    public void Minimal_event_has_no_position_and_no_media_and_takes_seconds_or_iso_time()
    {
        var e = Event($$"""{"type":"crowd","severity":2,"ts":{{Now / 1000}}}""");
        Assert.Equal((null, null, 0), (e.Lat, e.Lon, e.Media.Count));
        Assert.Equal(Now, e.Ts);
        Assert.Equal(Now, Event($$"""{"type":"crowd","severity":2,"ts":"{{Time.GetUtcNow():O}}","media":"one.jpg"}""").Ts);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("[]", "must be an object")]
    [InlineData("{\"severity\":3,\"ts\":NOW}", "type is required")]
    [InlineData("{\"type\":\"smoke\",\"ts\":NOW}", "severity is required")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3}", "ts is required")]
    [InlineData("{\"type\":\"smo ke\",\"severity\":3,\"ts\":NOW}", "type must be")]
    [InlineData("{\"type\":7,\"severity\":3,\"ts\":NOW}", "type must be a string")]
    [InlineData("{\"type\":\"smoke\",\"severity\":6,\"ts\":NOW}", "severity must be")]
    [InlineData("{\"type\":\"smoke\",\"severity\":2.5,\"ts\":NOW}", "severity must be")]
    [InlineData("{\"type\":\"smoke\",\"severity\":\"bad\",\"ts\":NOW}", "severity must be")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":\"yesterday\"}", "ts must be")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":1000}", "too old")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"lat\":31}", "both lat and lon")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"lat\":91,\"lon\":0}", "lat must be within")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"lat\":\"x\",\"lon\":0}", "lat must be a number")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"media\":[\"a b\"]}", "media[0]")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"media\":[1]}", "media[0] must be a string")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW,\"media\":{}}", "media must be")]
    [InlineData("{\"type\":\"smoke\",\"severity\":3,\"ts\":NOW} {}", "Malformed JSON")]
    [InlineData("{\"type\":\"smoke\",", "Malformed JSON")]
    [InlineData("{\"type\":\"smoke\"", "Malformed JSON")]
    public void Rejects_bad_events_with_a_clear_reason(string json, string expected) =>
        Assert.Contains(expected, EventError(json.Replace("NOW", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), StringComparison.Ordinal);

    [Fact]
    public void Rejects_a_future_timestamp_and_too_many_media()
    {
        Assert.Contains("future", EventError($$"""{"type":"smoke","severity":3,"ts":{{Now + 3_600_000}}}"""), StringComparison.Ordinal);
        var media = string.Join(",", Enumerable.Range(0, SensorPayloadParser.MaxMedia + 1).Select(i => $"\"m{i}\""));
        Assert.Contains("more than", EventError($$"""{"type":"smoke","severity":3,"ts":{{Now}},"media":[{{media}}]}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Never_throws_on_garbage()
    {
        foreach (var bytes in new[] { new byte[] { 0xff, 0xfe, 0x00 }, "{{{{{{{{{{{{{{{{{{{{"u8.ToArray(), "nul"u8.ToArray(), "\"str\""u8.ToArray() })
        {
            Assert.False(Parser.TryParseEvent(bytes, out _, out var e1));
            Assert.False(Parser.TryParseHeartbeat(bytes, out _, out var e2));
            Assert.NotNull(e1);
            Assert.NotNull(e2);
        }
    }

    [Fact]
    public void Parses_heartbeats()
    {
        Assert.True(Parser.TryParseHeartbeat(Encoding.UTF8.GetBytes($$"""{"ts":{{Now}},"status":" ok "}"""), out var h, out var error), error);
        Assert.Equal((Now, "ok"), (h!.Ts, h.Status));
        Assert.True(Parser.TryParseHeartbeat(Encoding.UTF8.GetBytes($$"""{"ts":{{Now}},"status":null,"rssi":-70}"""), out h, out error), error);
        Assert.Null(h!.Status);
    }

    [Theory]
    [InlineData("{}", "ts is required")]
    [InlineData("{\"ts\":NOW,\"status\":5}", "status must be a string")]
    [InlineData("[1]", "must be an object")]
    public void Rejects_bad_heartbeats(string json, string expected)
    {
        Assert.False(Parser.TryParseHeartbeat(Encoding.UTF8.GetBytes(json.Replace("NOW", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), out var h, out var error));
        Assert.Null(h);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
