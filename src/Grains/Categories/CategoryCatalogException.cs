namespace GridGov.Realtime.Grains.Categories;

/// <summary>A catalogue that failed validation, with every error found.</summary>
public sealed class CategoryCatalogException(IReadOnlyList<string> errors)
    : Exception("Invalid category catalogue: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
