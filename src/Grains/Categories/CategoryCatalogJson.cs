using System.Text.Json;
using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Categories;

/// <summary>
/// Loads a catalogue from JSON (the shape of <see cref="DefaultCategoryCatalog.Json"/>), reporting
/// every error with its location so a city can fix an imported table in one pass.
/// </summary>
public static class CategoryCatalogJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses and validates; throws <see cref="CategoryCatalogException"/> listing all errors.</summary>
    public static CategoryCatalog Parse(string json)
    {
        var errors = new List<string>();
        var catalog = TryParse(json, errors);
        return catalog ?? throw new CategoryCatalogException(errors);
    }

    /// <summary>All validation errors; empty when the catalogue is valid.</summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        var errors = new List<string>();
        TryParse(json, errors);
        return errors;
    }

    private static CategoryCatalog? TryParse(string json, List<string> errors)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            errors.Add($"Not valid catalogue JSON: {ex.Message}");
            return null;
        }
        if (document is null)
        {
            errors.Add("The catalogue is empty.");
            return null;
        }
        return new CatalogBuilder(errors).Build(document);
    }
}
