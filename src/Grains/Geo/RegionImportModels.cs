using System.Globalization;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>Tolerances of the region importer's geometric checks.</summary>
public sealed record RegionImportOptions
{
    /// <summary>Fraction of a region's area allowed to lie outside its parent (0.01 = 1%) before it is an error;
    /// boundaries drawn by different survey teams rarely match exactly.</summary>
    public double ContainmentTolerance { get; init; } = 0.01;

    /// <summary>Overlap between two unit grids, in m², above which it is an error. A point in an overlap
    /// would belong to two grids, which breaks "each point is in exactly one grid" (DOMAIN.md §1).</summary>
    public double OverlapToleranceM2 { get; init; } = 1.0;

    /// <summary>Stop collecting after this many errors, so a wrong file does not produce a million-line report.</summary>
    public int MaxErrors { get; init; } = 1000;
}

/// <summary>Import progress: <paramref name="Stage"/> is one of parse, features, containment, overlaps, build.</summary>
public sealed record ImportProgress(string Stage, int Processed, int Total);

/// <summary>
/// One reason an import was rejected. <see cref="FeatureIndex"/> is the 0-based index in
/// <c>features</c> (null for document-level errors); <see cref="Field"/> is a JSON path inside the
/// feature such as <c>properties.code</c> or <c>geometry.coordinates[0][3]</c>.
/// </summary>
public sealed record ImportError(int? FeatureIndex, string? Code, string Field, string Message)
{
    /// <summary>1-based line of a JSON syntax error.</summary>
    public long? Line { get; init; }
    /// <summary>1-based byte position in that line of a JSON syntax error.</summary>
    public long? BytePositionInLine { get; init; }

    public override string ToString()
    {
        var where = FeatureIndex is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"feature #{i}{(Code is null ? "" : $" ({Code})")}")
            : "document";
        var at = Line is { } l ? string.Create(CultureInfo.InvariantCulture, $" at line {l}, byte {BytePositionInLine}") : "";
        return $"{where}, {Field}{at}: {Message}";
    }
}

/// <summary>Either the whole validated tree or the list of errors; never both, never a partial tree.</summary>
public sealed record RegionImportResult
{
    private RegionImportResult(RegionTree? tree, IReadOnlyList<ImportError> errors)
    {
        Tree = tree;
        Errors = errors;
    }

    public RegionTree? Tree { get; }
    public IReadOnlyList<ImportError> Errors { get; }
    public bool Succeeded => Tree is not null;

    internal static RegionImportResult Success(RegionTree tree) => new(tree, []);
    internal static RegionImportResult Failure(IReadOnlyList<ImportError> errors) => new(null, errors);
}
