using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GridGov.Realtime.Actors.Storage;

/// <summary>Lets an activation load every injected state before OnActivateAsync.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken = default);
}

internal sealed class PersistentState<TState>(string stateName, GrainId grainId, IGrainStorage storage, JsonTypeInfo typeInfo)
    : IPersistentState<TState>, IStateLoader where TState : new()
{
    private readonly JsonTypeInfo<TState> _typeInfo = (JsonTypeInfo<TState>)typeInfo;

    public TState State { get; set; } = new();
    public string? ETag { get; private set; }
    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(grainId, stateName, cancellationToken);
        if (stored is null)
        {
            State = new TState();
            ETag = null;
            RecordExists = false;
            return;
        }
        State = JsonSerializer.Deserialize(stored.Payload, _typeInfo) ?? new TState();
        ETag = stored.ETag;
        RecordExists = true;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, _typeInfo);
        ETag = await storage.WriteAsync(grainId, stateName, payload, ETag, cancellationToken);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await storage.ClearAsync(grainId, stateName, ETag, cancellationToken);
        State = new TState();
        ETag = null;
        RecordExists = false;
    }
}
