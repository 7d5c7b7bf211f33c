using System.Text;
using GridGov.Realtime.Grains.Directory;

namespace GridGov.Realtime.Grains.Tests.Directory;

public sealed class CsvReaderTests
{
    private static List<CsvRecord> Parse(string text)
    {
        Assert.True(CsvReader.TryParse(text, out var records, out var error), error?.ToString());
        return records;
    }

    private static CsvImportError Fail(string text)
    {
        Assert.False(CsvReader.TryParse(text, out _, out var error));
        return error!;
    }

    [Fact]
    public void PlainFieldsSplitOnCommasAndRecordsOnLineEnds()
    {
        var records = Parse("a,b,c\n1,2,3\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["1", "2", "3"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void QuotedFieldsKeepCommasDoubledQuotesAndNewlines()
    {
        var records = Parse("id,name\r\n1,\"Li, \"\"Xiao\"\" Ming\"\r\n2,\"two\r\nlines\"\r\n3,last\r\n");
        Assert.Equal(["1", "Li, \"Xiao\" Ming"], records[1].Fields);
        Assert.Equal(["2", "two\r\nlines"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(5, records[3].Line); // the line after the embedded newline
    }

    [Fact]
    public void CrlfLfAndAMissingFinalNewlineAreAllAccepted()
    {
        Assert.Equal(Parse("a,b\r\n1,2\r\n").Select(r => r.Fields), Parse("a,b\n1,2").Select(r => r.Fields));
    }

    [Fact]
    public void EmptyFieldsAndQuotedEmptyFieldsAreEmptyStrings()
    {
        Assert.Equal(["", "", ""], Parse(",\"\",\n")[0].Fields);
    }

    [Fact]
    public void BlankLinesAreSkippedButCountedInLineNumbers()
    {
        var records = Parse("a\n\n\nb\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(4, records[1].Line);
    }

    [Fact]
    public void AByteOrderMarkIsDropped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("worker_id,名字\n")).ToArray();
        Assert.True(CsvReader.TryDecode(bytes, out var text, out _));
        Assert.Equal(["worker_id", "名字"], Parse(text)[0].Fields);
        Assert.Equal("a", Parse("\uFEFFa")[0].Fields[0]);
    }

    [Fact]
    public void InvalidUtf8IsAnErrorNamingTheLine()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("a,b\nc,"), 0xC3, 0x28, (byte)'\n'];
        Assert.False(CsvReader.TryDecode(bytes, out _, out var error));
        Assert.Equal(2, error!.Line);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnterminatedQuoteNamesTheLineWhereItOpened()
    {
        var error = Fail("a,b\n1,\"open\n2,3\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuoteInsideAnUnquotedFieldIsAnError()
    {
        var error = Fail("a,b\n1,ab\"c\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("column 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsAnError()
    {
        var error = Fail("a\n\"x\"y\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("after a closing quote", error.Message, StringComparison.Ordinal);
    }
}
