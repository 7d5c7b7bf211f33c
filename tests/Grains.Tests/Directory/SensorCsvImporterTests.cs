using GridGov.Realtime.Grains.Directory;
using static GridGov.Realtime.Grains.Tests.Directory.DirectoryFixtures;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class SensorCsvImporterTests
{
    private static CsvImportResult<SensorProfile> Import(string csv) => SensorCsvImporter.Import(Utf8(csv), SmallTree());

    [Fact]
    public void AValidFileGivesEverySensor()
    {
        var result = Import(SensorsHeader + $"s1,smoke,{Grid1},31.235,121.472,true\ns2,camera,{Grid2},,,false\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(new SensorProfile("s1", "smoke", Grid1, 31.235, 121.472, true), result.Rows![0]);
        Assert.Null(result.Rows[1].Lat);
    }

    [Theory]
    [InlineData("s1,smoke,31010400100109,,,true", "grid_code", "31010400100109", "not in the installed region tree")]
    [InlineData("s1,smoke,310104001001,,,true", "grid_code", "310104001001", "not a grid code")]
    [InlineData("s1,smoke,31010400100101,31.2x,121.4,true", "lat", "31.2x", "Not a number")]
    [InlineData("s1,smoke,31010400100101,\"31,2\",121.4,true", "lat", "31,2", "Not a number")]
    [InlineData("s1,smoke,31010400100101,121.47,31.23,true", "lat", "121.47", "swapped")]
    [InlineData("s1,smoke,31010400100101,31.23,181,true", "lon", "181", "Out of range")]
    [InlineData("s1,smoke,31010400100101,31.23,,true", "lon", "", "both")]
    [InlineData("s1,smoke,31010400100101,NaN,121.4,true", "lat", "NaN", "Not a number")]
    [InlineData("s1,,31010400100101,,,true", "type", "", "required")]
    [InlineData("s#1,smoke,31010400100101,,,true", "sensor_id", "s#1", "MQTT")]
    [InlineData("s1,smoke,31010400100101,,,2", "active", "2", "true/false")]
    public void EachBadValueIsNamed(string row, string column, string value, string message)
    {
        var result = Import(SensorsHeader + row + "\n");
        var e = Assert.Single(result.Errors);
        Assert.Equal((2, column, value), (e.Line, e.Column, e.Value));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateSensorIdIsRejected()
    {
        var e = Assert.Single(Import(SensorsHeader + $"s1,smoke,{Grid1},,,true\ns1,smoke,{Grid2},,,true\n").Errors);
        Assert.Equal((3, "sensor_id", "s1"), (e.Line, e.Column, e.Value));
    }
}
