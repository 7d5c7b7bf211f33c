using System.Text;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>One CSV record: its fields and the 1-based physical line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// An RFC 4180 reader: fields separated by commas, records by CRLF or LF; a field in double quotes
/// may hold commas, line breaks and doubled quotes (<c>""</c>). UTF-8 with or without a BOM. Blank
/// lines are skipped. Strict where the RFC is: a quote inside an unquoted field, text after a
/// closing quote and an unterminated quote are errors naming the line and column, not guesses.
/// </summary>
public static class CsvReader
{
    /// <summary>Decodes UTF-8 (a leading BOM is dropped); invalid UTF-8 is an error, not replacement characters.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, out string text, out CsvImportError? error)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(utf8);
            error = null;
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            text = "";
            var offset = ex.Index < 0 ? 0 : ex.Index;
            var line = 1 + utf8[..Math.Min(offset, utf8.Length)].Count((byte)'\n');
            error = new CsvImportError(line, null, null, "The file is not valid UTF-8; save it as UTF-8 (with or without BOM).");
            return false;
        }
    }

    /// <summary>Parses <paramref name="text"/> into records, or returns the first syntax error.</summary>
    public static bool TryParse(string text, out List<CsvRecord> records, out CsvImportError? error)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var result = new List<CsvRecord>();
        records = result;
        error = null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var column = 1;   // 1-based character position in the current physical line
        var i = 0;
        var n = text.Length;
        var atFieldStart = true;
        var recordHasContent = false;

        while (i < n)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                var quoteLine = line;
                var quoteColumn = column;
                i++; column++;
                recordHasContent = true;
                while (true)
                {
                    if (i >= n)
                    {
                        error = new CsvImportError(quoteLine, null, null, $"A quoted field opened at column {quoteColumn} is never closed.");
                        return false;
                    }
                    c = text[i];
                    if (c == '"')
                    {
                        if (i + 1 < n && text[i + 1] == '"') { field.Append('"'); i += 2; column += 2; continue; }
                        i++; column++;
                        break;
                    }
                    if (c == '\n') { line++; column = 1; }
                    else column++;
                    field.Append(c);
                    i++;
                }
                // After the closing quote only a separator or the end of the record may follow.
                if (i < n && text[i] is not (',' or '\r' or '\n'))
                {
                    error = new CsvImportError(line, null, null,
                        $"Unexpected '{text[i]}' after a closing quote at column {column}; a quoted field must end at a comma or line end (write a quote inside quotes as \"\").");
                    return false;
                }
                atFieldStart = false;
                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    recordHasContent = true;
                    i++; column++;
                    break;
                case '\r' or '\n':
                    EndRecord();
                    i += c == '\r' && i + 1 < n && text[i + 1] == '\n' ? 2 : 1;
                    line++; column = 1;
                    recordLine = line;
                    break;
                case '"':
                    error = new CsvImportError(line, null, null,
                        $"A quote at column {column} inside an unquoted field; quote the whole field and double the quote (\"\").");
                    return false;
                default:
                    field.Append(c);
                    recordHasContent = true;
                    atFieldStart = false;
                    i++; column++;
                    break;
            }
        }
        EndRecord();
        return true;

        void EndRecord()
        {
            if (recordHasContent || field.Length > 0)
            {
                fields.Add(field.ToString());
                result.Add(new CsvRecord(recordLine, fields.ToArray()));
            }
            fields.Clear();
            field.Clear();
            atFieldStart = true;
            recordHasContent = false;
        }
    }
}
