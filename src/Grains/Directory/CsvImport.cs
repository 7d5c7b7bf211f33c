using System.Globalization;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// One reason a CSV import was rejected: the 1-based physical <see cref="Line"/> of the record, the
/// <see cref="Column"/> name (null for file-level and syntax errors) and the offending <see cref="Value"/>.
/// </summary>
public sealed record CsvImportError(int Line, string? Column, string? Value, string Message)
{
    public override string ToString()
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"line {Line}");
        if (Column is not null) where += $", column {Column}";
        if (Value is not null) where += $", value '{Value}'";
        return $"{where}: {Message}";
    }
}

/// <summary>Either every row, validated, or the list of every error; never a part of the file.</summary>
public sealed record CsvImportResult<T>
{
    private CsvImportResult(IReadOnlyList<T>? rows, IReadOnlyList<CsvImportError> errors)
    {
        Rows = rows;
        Errors = errors;
    }

    public IReadOnlyList<T>? Rows { get; }
    public IReadOnlyList<CsvImportError> Errors { get; }
    public bool Succeeded => Rows is not null;

    internal static CsvImportResult<T> Success(IReadOnlyList<T> rows) => new(rows, []);
    internal static CsvImportResult<T> Failure(IReadOnlyList<CsvImportError> errors) => new(null, errors);
}

/// <summary>
/// The shared part of the worker and sensor importers: decode, parse, map the header row (required;
/// columns in any order; missing, unknown and repeated columns are errors) and collect row errors.
/// </summary>
internal sealed class CsvTable
{
    public const int MaxErrors = 1000;
    private readonly Dictionary<string, int> _columns;

    private CsvTable(Dictionary<string, int> columns, List<CsvRecord> rows)
    {
        _columns = columns;
        Rows = rows;
    }

    public List<CsvRecord> Rows { get; }
    public List<CsvImportError> Errors { get; } = [];
    public bool IsFull => Errors.Count > MaxErrors;

    public string Get(CsvRecord row, string column) => row.Fields[_columns[column]].Trim();

    public void Add(CsvRecord row, string column, string? value, string message)
    {
        if (Errors.Count == MaxErrors)
        {
            Errors.Add(new CsvImportError(row.Line, null, null, string.Create(CultureInfo.InvariantCulture, $"Too many errors; stopped after {MaxErrors}.")));
            return;
        }
        if (!IsFull) Errors.Add(new CsvImportError(row.Line, column, value, message));
    }

    public static CsvTable? Open(ReadOnlySpan<byte> utf8, IReadOnlyList<string> expected, List<CsvImportError> errors)
    {
        if (!CsvReader.TryDecode(utf8, out var text, out var error) || !CsvReader.TryParse(text, out var records, out error))
        {
            errors.Add(error!);
            return null;
        }
        if (records.Count == 0)
        {
            errors.Add(new CsvImportError(1, null, null, $"The file is empty; it needs a header row: {string.Join(',', expected)}."));
            return null;
        }
        var header = records[0];
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!expected.Contains(name, StringComparer.Ordinal))
                errors.Add(new CsvImportError(header.Line, name, null, $"Unknown column; the header must name {string.Join(',', expected)}."));
            else if (!columns.TryAdd(name, i))
                errors.Add(new CsvImportError(header.Line, name, null, "The column appears twice in the header."));
        }
        foreach (var name in expected)
        {
            if (!columns.ContainsKey(name))
                errors.Add(new CsvImportError(header.Line, name, null, $"Missing column; the header must name {string.Join(',', expected)}."));
        }
        if (errors.Count > 0) return null;

        var table = new CsvTable(columns, records.GetRange(1, records.Count - 1));
        var rows = table.Rows;
        for (var r = rows.Count - 1; r >= 0; r--)
        {
            if (rows[r].Fields.Count != header.Fields.Count)
            {
                errors.Add(new CsvImportError(rows[r].Line, null, null,
                    string.Create(CultureInfo.InvariantCulture, $"The record has {rows[r].Fields.Count} fields; the header has {header.Fields.Count}.")));
                rows.RemoveAt(r);
            }
        }
        errors.Reverse();
        table.Errors.AddRange(errors);
        errors.Clear();
        return table;
    }

    /// <summary>true/false, 1/0, yes/no, y/n (any case); empty means true.</summary>
    public static bool TryParseBool(string value, out bool result)
    {
        switch (value.ToLowerInvariant())
        {
            case "" or "true" or "1" or "yes" or "y": result = true; return true;
            case "false" or "0" or "no" or "n": result = false; return true;
            default: result = false; return false;
        }
    }

    /// <summary>
    /// Device and worker ids appear in MQTT topics (gridgov/v1/terminals/{id}/...): 1–64 characters
    /// from letters, digits, '-', '_' and '.', so no topic separator or wildcard can slip in.
    /// </summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
}
