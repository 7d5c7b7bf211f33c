using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class AuthRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddGridGovAuth_is_idempotent()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:UserStore"] = "InMemory",
            ["Auth:SigningKey"] = Convert.ToBase64String(new byte[32]),
            ["Auth:InitialAdminPassword"] = AuthTestHost.AdminPassword,
        });
        builder.Services.AddGridGovAuth(builder.Configuration);
        var count = builder.Services.Count;
        builder.Services.AddGridGovAuth(builder.Configuration);
        Assert.Equal(count, builder.Services.Count);
        await using var app = builder.Build();
        Assert.NotNull(app.Services.GetRequiredService<IUserDirectory>());
    }

    [Fact]
    public async Task Invalid_options_stop_start_up_with_clear_messages()
    {
        using var dir = new TempDir();
        await using var app = AuthTestHost.Build(dir.Path, new FakeTimeProvider(), new Dictionary<string, string?>
        {
            ["Auth:UserStore"] = "Sqlite",
            ["Auth:SigningKey"] = Convert.ToBase64String(new byte[16]),
            ["Auth:InitialAdminPassword"] = "short",
            ["Auth:TokenLifetime"] = "30.00:00:00",
            ["Auth:ClockSkew"] = "01:00:00",
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Ct));
        Assert.Contains(error.Failures, f => f.Contains("Auth:SigningKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Auth:InitialAdminPassword", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Auth:TokenLifetime", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Auth:ClockSkew", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Auth:ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_requires_a_data_directory_without_key_or_admin_password()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { UserStore = UserStoreKind.InMemory });
        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count(f => f.Contains("Auth:DataDirectory", StringComparison.Ordinal)));
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { UserStore = UserStoreKind.InMemory, DataDirectory = "/tmp/x" }).Succeeded);
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("gridgov-auth-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
