using System.Text.Json;
using GridGov.Realtime.Actors.Runtime;

namespace GridGov.Realtime.Actors.Serialization;

/// <summary>
/// Serialises message arguments and results with the runtime's JSON contexts. In-process delivery
/// passes references; with <c>SerializeMessages</c> on (tests) every call is round-tripped, proving
/// that each message could cross a process boundary as cluster mode will require.
/// </summary>
internal sealed class MessageCodec(ActorJsonOptions json)
{
    public object?[] RoundTrip(MethodDescriptor method, object?[] args)
    {
        var copy = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var type = method.ParameterTypes[i];
            if (type == typeof(CancellationToken)) { copy[i] = args[i]; continue; }
            var info = json.GetTypeInfo(type);
            copy[i] = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(args[i], info), info);
        }
        return copy;
    }

    public ResponseCompletion RoundTripResult(MethodDescriptor method, ResponseCompletion inner)
    {
        if (method.ResultType is null) return inner;
        var info = json.GetTypeInfo(method.ResultType);
        var outer = method.CreateCompletion();
        inner.Task.ContinueWith(t =>
        {
            if (t.IsFaulted) outer.SetException(t.Exception!.InnerException!);
            else outer.SetResult(JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(inner.GetResult(), info), info));
        }, TaskScheduler.Default);
        return outer;
    }
}
