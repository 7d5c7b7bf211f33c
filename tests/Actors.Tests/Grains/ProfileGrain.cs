namespace GridGov.Realtime.Actors.Tests.Grains;

public interface IProfileGrain : IGrainWithStringKey
{
    Task SetName(string name);
    Task<string?> GetName();
    Task<string?> GetETag();
    Task Clear();
}

public sealed class ProfileState
{
    public string? Name { get; set; }
    public int Revisions { get; set; }
}

public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public async Task SetName(string name)
    {
        profile.State.Name = name;
        profile.State.Revisions++;
        await profile.WriteStateAsync();
    }

    public Task<string?> GetName() => Task.FromResult(profile.State.Name);

    public Task<string?> GetETag() => Task.FromResult(profile.ETag);

    public Task Clear() => profile.ClearStateAsync();
}
