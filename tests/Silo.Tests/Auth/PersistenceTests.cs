using System.Net;
using System.Runtime.Versioning;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Tests.Auth;

// File modes are a Unix concept; the project builds and runs on Linux.
[UnsupportedOSPlatform("windows")]
public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gridgov-auth-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> SqliteSettings(bool withAdminPassword = true) => new()
    {
        ["Auth:UserStore"] = "Sqlite",
        ["Auth:ConnectionString"] = $"Data Source={Path.Combine(_dir, "gridgov.db")}",
        ["Auth:InitialAdminPassword"] = withAdminPassword ? AuthTestHost.AdminPassword : null,
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Generated_signing_key_is_owner_only_and_reused_by_the_next_host()
    {
        var time = new FakeTimeProvider();
        string token;
        await using (var first = await AuthTestHost.StartAsync(SqliteSettings(), _dir, time))
        {
            token = await first.GetTokenAsync();
        }
        var keyPath = SigningKeyProvider.KeyPath(_dir);
        var keyText = await File.ReadAllTextAsync(keyPath, Ct);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));

        await using var second = await AuthTestHost.StartAsync(SqliteSettings(), _dir, time);
        using var response = await second.GetAsync("/protected", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(keyText, await File.ReadAllTextAsync(keyPath, Ct));
    }

    [Fact]
    public async Task Configured_signing_key_is_used_and_no_key_file_is_written()
    {
        var key = Convert.ToBase64String(new byte[40]);
        await using var host = await AuthTestHost.StartAsync(new Dictionary<string, string?> { ["Auth:SigningKey"] = key }, _dir);
        Assert.Equal(new byte[40], host.Get<SigningKeyProvider>().Key);
        Assert.False(File.Exists(SigningKeyProvider.KeyPath(_dir)));
    }

    [Fact]
    public async Task Generated_admin_password_is_written_once_owner_only_and_works()
    {
        await using (var first = await AuthTestHost.StartAsync(SqliteSettings(withAdminPassword: false), _dir))
        {
            var path = AdminBootstrapper.PasswordPath(_dir);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var password = await File.ReadAllTextAsync(path, Ct);
            Assert.True(password.Length >= 32);
            Assert.NotEmpty(await first.GetTokenAsync("admin", password));
        }

        var before = await File.ReadAllTextAsync(AdminBootstrapper.PasswordPath(_dir), Ct);
        await using var second = await AuthTestHost.StartAsync(SqliteSettings(withAdminPassword: false), _dir);
        Assert.Equal(before, await File.ReadAllTextAsync(AdminBootstrapper.PasswordPath(_dir), Ct));
        Assert.Single(await second.Get<IUserDirectory>().ListAsync(Ct));
    }

    [Fact]
    public async Task Bootstrap_does_nothing_when_an_admin_exists()
    {
        await using var host = await AuthTestHost.StartAsync(SqliteSettings(), _dir);
        var directory = host.Get<IUserDirectory>();
        var admin = await directory.FindAsync("admin", Ct);
        Assert.NotNull(admin);
        Assert.Equal(Roles.Admin, admin.Role);
        Assert.True(admin.RegionScope.IsWholeSystem);

        Assert.False(await host.Get<AdminBootstrapper>().EnsureAdminAsync(Ct));
        Assert.Equal(admin, await directory.FindAsync("admin", Ct));
        Assert.False(File.Exists(AdminBootstrapper.PasswordPath(_dir)));
    }

    [Fact]
    public async Task Secret_files_with_loose_permissions_are_tightened()
    {
        var keyPath = SigningKeyProvider.KeyPath(_dir);
        await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(new byte[32]), Ct);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var host = await AuthTestHost.StartAsync(dataDirectory: _dir);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        Assert.Equal(new byte[32], host.Get<SigningKeyProvider>().Key);
    }
}
