using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// One region of the tree: a city, district, street, community or unit grid (DOMAIN.md §1).
/// The geometry is a lon/lat (RFC 7946, WGS 84) Polygon or MultiPolygon; treat it as read-only.
/// </summary>
public sealed class RegionNode
{
    private readonly List<RegionNode> _children = [];

    internal RegionNode(string code, string name, RegionLevel level, string? parentCode, Geometry geometry, AreaClass? areaClass)
    {
        Code = code;
        Name = name;
        Level = level;
        ParentCode = parentCode;
        Geometry = geometry;
        AreaClass = areaClass;
        AreaM2 = GeoArea.SquareMetres(geometry);
    }

    public string Code { get; }
    public string Name { get; }
    public RegionLevel Level { get; }
    public string? ParentCode { get; }
    public Geometry Geometry { get; }
    /// <summary>Area in m², computed on a local equirectangular projection (see <see cref="GeoArea"/>).</summary>
    public double AreaM2 { get; }
    /// <summary>一类/二类 region class; only unit grids carry one.</summary>
    public AreaClass? AreaClass { get; }
    /// <summary>Null for the roots of the tree (their parent was not part of the import).</summary>
    public RegionNode? Parent { get; private set; }
    /// <summary>Children ordered by code.</summary>
    public IReadOnlyList<RegionNode> Children => _children;

    internal void AttachChild(RegionNode child)
    {
        child.Parent = this;
        _children.Add(child);
    }

    internal void SortChildren() => _children.Sort(static (a, b) => string.CompareOrdinal(a.Code, b.Code));

    public override string ToString() => $"{Level.ToWireName()} {Code} {Name}";
}
