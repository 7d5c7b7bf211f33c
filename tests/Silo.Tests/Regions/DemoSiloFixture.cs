using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Regions;

/// <summary>
/// One host with the demo city (districts 310101–310103), its workers and sensors, and clients for
/// a user scoped to district 310101 and one scoped to the whole city 310100. Tests only read it.
/// </summary>
public sealed class DemoSiloFixture : IAsyncLifetime
{
    public SiloFactory Factory { get; } = new();
    public DemoCity Demo { get; } = DemoCity.Create();
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient District1 { get; private set; } = null!;
    public HttpClient CityStaff { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Admin = await Factory.CreateAdminClientAsync();
        await Demo.InstallAsync(Factory.Services.GetRequiredService<DirectoryImportService>(), TestContext.Current.CancellationToken);
        District1 = await Factory.CreateUserClientAsync("district1", Roles.CommandStaff, "310101");
        CityStaff = await Factory.CreateUserClientAsync("citystaff", Roles.CommandStaff, "310100");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        District1.Dispose();
        CityStaff.Dispose();
        await Factory.DisposeAsync();
    }
}
