using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace GridGov.Realtime.Dashboard.Hosting;

/// <summary>
/// The page's files, copied by the build to <c>dashboard/</c> beside the host's assembly (from
/// <c>src/Dashboard/wwwroot</c>, with the npm bundle in <c>dist/</c>). Served as anonymous endpoints
/// rather than static-file middleware, because the host's fallback policy requires a user on anything else.
/// </summary>
internal sealed class DashboardFiles
{
    public const string UrlPrefix = "/dashboard";
    private readonly PhysicalFileProvider? _provider;
    private readonly FileExtensionContentTypeProvider _types = new();

    public DashboardFiles()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "dashboard");
        _provider = Directory.Exists(root) ? new PhysicalFileProvider(root) : null;
    }

    public IResult Serve(string path)
    {
        // PhysicalFileProvider refuses paths that leave the root (.., absolute paths) with a not-found entry.
        if (_provider?.GetFileInfo(path) is not { Exists: true, IsDirectory: false, PhysicalPath: { } physical })
            return Results.NotFound();
        if (!_types.TryGetContentType(physical, out var type)) type = "application/octet-stream";
        return TypedResults.PhysicalFile(physical, type, enableRangeProcessing: false);
    }
}
