using GridGov.Realtime.Grains.Directory;
using static GridGov.Realtime.Grains.Tests.Directory.DirectoryFixtures;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class WorkerCsvImporterTests
{
    private static CsvImportResult<WorkerProfile> Import(string csv) => WorkerCsvImporter.Import(Utf8(csv), SmallTree());

    private static CsvImportError SingleError(string csv)
    {
        var result = Import(csv);
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void AValidFileGivesEveryWorker()
    {
        var result = Import(WorkersHeader +
            $"w1,\"Wang, Fang\",grid_worker,{Community},{Grid1};{Grid2},true\n" +
            $"w2,李强,responder,{District},,0\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Rows!.Count);
        Assert.Equal(new[] { Grid1, Grid2 }, result.Rows[0].AssignedGrids);
        Assert.Equal("Wang, Fang", result.Rows[0].Name);
        Assert.False(result.Rows[1].Active);
        Assert.Empty(result.Rows[1].AssignedGrids);
    }

    [Fact]
    public void ColumnsMayComeInAnyOrder()
    {
        var result = Import($"active,assigned_grids,region_code,role,name,worker_id\nyes,{Grid1},{Community},grid_worker,n,w1\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("w1", result.Rows![0].WorkerId);
    }

    [Fact]
    public void AnUnknownGridIsRejectedNamingLineColumnAndValue()
    {
        var e = SingleError(WorkersHeader + $"w1,n,grid_worker,{Community},{Grid1};31010400100109,true\n");
        Assert.Equal((2, "assigned_grids", "31010400100109"), (e.Line, e.Column, e.Value));
        Assert.Contains("not in the installed region tree", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("w1,n,grid_worker,310104001001,3101040010010,true", "assigned_grids", "3101040010010", "digits")]
    [InlineData("w1,n,grid_worker,310104001001,310104001001,true", "assigned_grids", "310104001001", "not a grid code")]
    [InlineData("w1,n,grid_worker,310104001001,31010400100101;31010400100101,true", "assigned_grids", "31010400100101", "twice")]
    [InlineData("w1,n,grid_worker,310105001001,,true", "region_code", "310105001001", "not in the installed region tree")]
    [InlineData("w1,n,grid_worker,31x104,,true", "region_code", "31x104", "non-digit")]
    [InlineData("w1,n,boss,310104,,true", "role", "boss", "grid_worker, responder, department_handler, command_staff")]
    [InlineData("w1,n,admin,310104,,true", "role", "admin", "Unknown role")]
    [InlineData("w1,n,grid_worker,310104,,maybe", "active", "maybe", "true/false")]
    [InlineData("w1,,grid_worker,310104,,true", "name", "", "required")]
    [InlineData("w/1,n,grid_worker,310104,,true", "worker_id", "w/1", "MQTT")]
    [InlineData(",n,grid_worker,310104,,true", "worker_id", "", "1–64")]
    public void EachBadValueIsNamed(string row, string column, string value, string message)
    {
        var e = SingleError(WorkersHeader + row + "\n");
        Assert.Equal((2, column, value), (e.Line, e.Column, e.Value));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGridOutsideTheWorkersRegionIsRejected()
    {
        // Grid1 exists, but the worker's region is the neighbouring grid.
        var tree = SmallTree();
        var csv = WorkersHeader + $"w1,n,grid_worker,{Grid2},{Grid1},true\n";
        var result = WorkerCsvImporter.Import(Utf8(csv), tree);
        var e = Assert.Single(result.Errors);
        Assert.Equal(("assigned_grids", Grid1), (e.Column, e.Value));
        Assert.Contains($"not inside the worker's region '{Grid2}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateIdNamesTheFirstLine()
    {
        var result = Import(WorkersHeader + $"w1,a,grid_worker,{District},,true\nw2,b,grid_worker,{District},,true\nw1,c,grid_worker,{District},,true\n");
        var e = Assert.Single(result.Errors);
        Assert.Equal((4, "worker_id", "w1"), (e.Line, e.Column, e.Value));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var result = Import(WorkersHeader + $"w1,a,boss,{District},,true\nw2,b,grid_worker,{District},,perhaps\n");
        Assert.Equal([(2, "role"), (3, "active")], result.Errors.Select(e => (e.Line, e.Column!)));
    }

    [Fact]
    public void AMissingUnknownOrRepeatedHeaderColumnIsRejected()
    {
        var result = Import("worker_id,name,role,regon_code,assigned_grids,active,name\n");
        Assert.Equal(
            [(1, "regon_code", "Unknown column"), (1, "name", "twice"), (1, "region_code", "Missing column")],
            result.Errors.Select(e => (e.Line, e.Column!, e.Message.Contains("Unknown", StringComparison.Ordinal) ? "Unknown column" : e.Message.Contains("twice", StringComparison.Ordinal) ? "twice" : "Missing column")));
    }

    [Fact]
    public void ARecordWithTheWrongNumberOfFieldsIsRejected()
    {
        var e = SingleError(WorkersHeader + $"w1,n,grid_worker,{District},,true,extra\n");
        Assert.Equal(2, e.Line);
        Assert.Contains("7 fields; the header has 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileNeedsAHeader()
    {
        Assert.Contains("header row", SingleError("").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderOnlyFileIsAnEmptyDirectory()
    {
        var result = Import(WorkersHeader);
        Assert.True(result.Succeeded);
        Assert.Empty(result.Rows!);
    }

    [Fact]
    public void WithoutAnInstalledTreeEveryRegionIsUnknown()
    {
        var result = WorkerCsvImporter.Import(Utf8(WorkersHeader + $"w1,n,grid_worker,{District},,true\n"), tree: null);
        Assert.Contains("import the regions first", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABomAndCrlfFileImports()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(WorkersHeader.Replace("\n", "\r\n", StringComparison.Ordinal) + $"w1,n,grid_worker,{District},,true\r\n")).ToArray();
        var result = WorkerCsvImporter.Import(bytes, SmallTree());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("w1", Assert.Single(result.Rows!).WorkerId);
    }
}
