using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Imports a region tree from a GeoJSON FeatureCollection, all or nothing: the result is the whole
/// validated tree or the list of every error found (up to <see cref="RegionImportOptions.MaxErrors"/>).
/// </summary>
/// <remarks>
/// Feature <c>properties</c>: <c>code</c> (required), <c>name</c> (required), <c>level</c>
/// (city|district|street|community|grid; optional, derived from the code per DOMAIN.md §1),
/// <c>parent</c> (optional, derived from the code), <c>areaClass</c> ("一类"/"二类" or 1/2, grids
/// only). Other properties are ignored. The top level present in the file (usually the city) forms
/// the roots, so an exported subtree imports on its own; every other region's parent must be in the file.
/// </remarks>
public sealed class GeoJsonRegionImporter
{
    private const int ProgressStep = 500;
    private readonly GridCodeScheme _scheme;
    private readonly RegionImportOptions _options;

    public GeoJsonRegionImporter(GridCodeScheme scheme, RegionImportOptions? options = null)
    {
        _scheme = scheme;
        _options = options ?? new RegionImportOptions();
    }

    public RegionImportResult Import(string json, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Import(System.Text.Encoding.UTF8.GetBytes(json), progress, cancellationToken);

    public RegionImportResult Import(Stream utf8Json, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return Import(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), progress, cancellationToken);
    }

    public RegionImportResult Import(ReadOnlyMemory<byte> utf8Json, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (utf8Json.Span.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        var errors = new ErrorList(_options.MaxErrors);
        progress?.Report(new ImportProgress("parse", 0, 1));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            errors.Add(new ImportError(null, null, "json", $"Not well-formed JSON: {ex.Message}")
            {
                Line = ex.LineNumber + 1,
                BytePositionInLine = ex.BytePositionInLine + 1,
            });
            return RegionImportResult.Failure(errors.Items);
        }
        using (document)
        {
            progress?.Report(new ImportProgress("parse", 1, 1));
            var features = ReadFeatures(document.RootElement, errors, progress, cancellationToken);
            if (features is null) return RegionImportResult.Failure(errors.Items);

            CheckParents(features, errors);
            var checks = new RegionGeometryChecks(_options, errors, progress, cancellationToken);
            if (!errors.IsFull) checks.CheckContainment(features);
            if (!errors.IsFull) checks.CheckGridOverlaps(features);
            if (errors.Count > 0) return RegionImportResult.Failure(errors.Items);

            progress?.Report(new ImportProgress("build", 0, features.Count));
            var tree = new RegionTree(_scheme, features.Select(static f =>
                new RegionNode(f.Code!, f.Name!, f.Level, f.ParentCode, f.Geometry!, f.AreaClass)));
            progress?.Report(new ImportProgress("build", features.Count, features.Count));
            return RegionImportResult.Success(tree);
        }
    }

    private List<ParsedFeature>? ReadFeatures(JsonElement root, ErrorList errors, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection")
        {
            errors.Add(new ImportError(null, null, "type", "The document must be a GeoJSON object with \"type\": \"FeatureCollection\"."));
            return null;
        }
        if (!root.TryGetProperty("features", out var featuresEl) || featuresEl.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ImportError(null, null, "features", "A FeatureCollection needs a \"features\" array."));
            return null;
        }

        var total = featuresEl.GetArrayLength();
        var features = new List<ParsedFeature>(total);
        var firstIndexByCode = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var el in featuresEl.EnumerateArray())
        {
            ct.ThrowIfCancellationRequested();
            if (errors.IsFull) break;
            var f = ReadFeature(index, el, errors);
            if (f.Code is not null)
            {
                if (firstIndexByCode.TryGetValue(f.Code, out var first))
                {
                    f.Report(errors, "properties.code", $"Duplicate code: feature #{first} already has code '{f.Code}'.");
                }
                else
                {
                    firstIndexByCode.Add(f.Code, index);
                }
            }
            features.Add(f);
            index++;
            if (index % ProgressStep == 0 || index == total) progress?.Report(new ImportProgress("features", index, total));
        }
        return features;
    }

    private ParsedFeature ReadFeature(int index, JsonElement el, ErrorList errors)
    {
        var f = new ParsedFeature(index);
        if (el.ValueKind != JsonValueKind.Object)
        {
            f.Report(errors, "", $"A feature must be a JSON object, not {el.ValueKind}.");
            return f;
        }
        if (!el.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() != "Feature")
            f.Report(errors, "type", "A feature needs \"type\": \"Feature\".");

        if (!el.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            f.Report(errors, "properties", "Properties are missing; a region needs at least code and name.");
        }
        else
        {
            ReadProperties(f, props, errors);
        }

        var geometryEl = el.TryGetProperty("geometry", out var g) ? g : default;
        f.Geometry = GeoJsonGeometryReader.Read(geometryEl, (field, message) => f.Report(errors, field, message));
        return f;
    }

    private void ReadProperties(ParsedFeature f, JsonElement props, ErrorList errors)
    {
        // code first, so every later error can name the feature by its code.
        string? code = null;
        if (!props.TryGetProperty("code", out var codeEl) || codeEl.ValueKind is JsonValueKind.Null)
            f.Report(errors, "properties.code", "Code is required.");
        else if (codeEl.ValueKind != JsonValueKind.String)
            f.Report(errors, "properties.code", $"Code must be a JSON string (digits in quotes, so leading zeros and length survive), not {codeEl.ValueKind}.");
        else
            code = codeEl.GetString();
        f.DisplayCode = code;

        if (!props.TryGetProperty("name", out var nameEl) || nameEl.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameEl.GetString()))
            f.Report(errors, "properties.name", "Name is required and must be a non-empty string.");
        else
            f.Name = nameEl.GetString();

        RegionLevel? stated = null;
        if (props.TryGetProperty("level", out var levelEl) && levelEl.ValueKind != JsonValueKind.Null)
        {
            if (levelEl.ValueKind == JsonValueKind.String && RegionLevelNames.TryParse(levelEl.GetString(), out var lv)) stated = lv;
            else f.Report(errors, "properties.level", $"Level must be one of city, district, street, community, grid; got {levelEl.GetRawText()}.");
        }

        if (code is not null)
        {
            if (stated is { } s)
            {
                if (_scheme.TryValidate(code, s, out var err)) { f.Code = code; f.Level = s; }
                else f.Report(errors, "properties.code", err);
            }
            else if (_scheme.TryGetLevel(code, out var derived, out var err))
            {
                f.Code = code;
                f.Level = derived;
            }
            else
            {
                f.Report(errors, "properties.code", err);
            }
        }

        var derivedParent = f.Code is null ? null : _scheme.ParentOf(f.Code);
        f.ParentCode = derivedParent;
        if (props.TryGetProperty("parent", out var parentEl) && parentEl.ValueKind != JsonValueKind.Null)
        {
            var parent = parentEl.ValueKind == JsonValueKind.String ? parentEl.GetString() : null;
            if (parent is null)
                f.Report(errors, "properties.parent", $"Parent must be a code string, not {parentEl.ValueKind}.");
            else if (!_scheme.TryGetLevel(parent, out var parentLevel, out var err))
                f.Report(errors, "properties.parent", err);
            else if (f.Code is not null && f.Level == RegionLevel.City)
                f.Report(errors, "properties.parent", $"A city is the top of the tree and has no parent; got '{parent}'.");
            else if (f.Code is not null && parentLevel != f.Level - 1)
                f.Report(errors, "properties.parent",
                    $"Parent '{parent}' is a {parentLevel.ToWireName()}; the parent of a {f.Level.ToWireName()} must be a {(f.Level - 1).ToWireName()} (one level up).");
            else if (f.Code is not null && !string.Equals(parent, derivedParent, StringComparison.Ordinal))
                f.Report(errors, "properties.parent", $"Parent '{parent}' contradicts the code '{f.Code}', whose prefix makes its parent '{derivedParent}'.");
        }

        if (props.TryGetProperty("areaClass", out var acEl) && acEl.ValueKind != JsonValueKind.Null)
        {
            AreaClass? ac = acEl.ValueKind switch
            {
                JsonValueKind.String => acEl.GetString()?.Trim() switch
                {
                    "一类" or "一类区域" or "1" => AreaClass.Class1,
                    "二类" or "二类区域" or "2" => AreaClass.Class2,
                    _ => null,
                },
                JsonValueKind.Number when acEl.TryGetInt32(out var n) && n is 1 or 2 => (AreaClass)n,
                _ => null,
            };
            if (ac is null)
                f.Report(errors, "properties.areaClass", $"Area class must be \"一类\", \"二类\", 1 or 2; got {acEl.GetRawText()}.");
            else if (f.Code is not null && f.Level != RegionLevel.Grid)
                f.Report(errors, "properties.areaClass", $"Only unit grids have an area class (一类/二类); this is a {f.Level.ToWireName()}.");
            else
                f.AreaClass = ac;
        }
    }

    /// <summary>The top level present forms the roots; everything below must find its parent in the file.</summary>
    private static void CheckParents(List<ParsedFeature> features, ErrorList errors)
    {
        var codes = new HashSet<string>(features.Where(static f => f.Code is not null).Select(static f => f.Code!), StringComparer.Ordinal);
        if (codes.Count == 0) return;
        var top = features.Where(static f => f.Code is not null).Min(static f => f.Level);
        foreach (var f in features)
        {
            if (errors.IsFull) return;
            if (f.Code is null || f.Level == top || f.ParentCode is null) continue;
            if (!codes.Contains(f.ParentCode))
                f.Report(errors, "properties.parent",
                    $"Parent {(f.Level - 1).ToWireName()} '{f.ParentCode}' is not in the file; only the top level present ({top.ToWireName()}) may omit its parent.");
        }
    }
}

/// <summary>A feature as read, before it becomes a <see cref="RegionNode"/>.</summary>
internal sealed class ParsedFeature(int index)
{
    public int Index { get; } = index;
    /// <summary>The code when valid for the scheme; null otherwise.</summary>
    public string? Code { get; set; }
    /// <summary>The code as written, for naming the feature in errors even when it is invalid.</summary>
    public string? DisplayCode { get; set; }
    public string? Name { get; set; }
    public RegionLevel Level { get; set; }
    public string? ParentCode { get; set; }
    public AreaClass? AreaClass { get; set; }
    public Geometry? Geometry { get; set; }

    public void Report(ErrorList errors, string field, string message) =>
        errors.Add(new ImportError(Index, DisplayCode, field, message));
}

/// <summary>Collects errors up to a cap; the cap itself is reported once.</summary>
internal sealed class ErrorList(int max)
{
    private readonly List<ImportError> _items = [];
    public IReadOnlyList<ImportError> Items => _items;
    public int Count => _items.Count;
    public bool IsFull { get; private set; }

    public void Add(ImportError error)
    {
        if (IsFull) return;
        if (_items.Count >= max)
        {
            IsFull = true;
            _items.Add(new ImportError(null, null, "", string.Create(CultureInfo.InvariantCulture, $"Too many errors; stopped after {max}.")));
            return;
        }
        _items.Add(error);
    }
}
