using System.Reflection;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// The proxy behind every <c>GetGrain&lt;T&gt;(key)</c>: turns an interface call into an envelope.
/// It remembers the activation it last delivered to, so steady-state sends skip the directory lookup.
/// </summary>
public class GrainProxy : DispatchProxy
{
    private ActorRuntime _runtime = null!;
    private GrainInterfaceInfo _interface = null!;
    private GrainId _grainId;
    private ActivationData? _activation;

    internal void Initialize(ActorRuntime runtime, GrainInterfaceInfo grainInterface, GrainId grainId)
    {
        _runtime = runtime;
        _interface = grainInterface;
        _grainId = grainId;
    }

    /// <summary>A copy of this proxy (same generated type, so same interface) addressed to another grain.</summary>
    internal GrainProxy CloneFor(ActorRuntime runtime, GrainInterfaceInfo grainInterface, GrainId grainId)
    {
        var clone = (GrainProxy)MemberwiseClone();
        clone.Initialize(runtime, grainInterface, grainId);
        clone._activation = null;
        return clone;
    }

    public GrainId GrainId => _grainId;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!_interface.Methods.TryGetValue(targetMethod, out var method))
        {
            // Object members (ToString, Equals...) reached through the interface are answered locally.
            return targetMethod.Invoke(this, args);
        }
        args ??= [];
        if (_runtime.Options.SerializeMessages) args = _runtime.MessageCodec.RoundTrip(method, args);

        if (method.IsOneWay)
        {
            _runtime.Deliver(_grainId, new Envelope { Kind = MessageKind.Call, Method = method, Args = args }, ref _activation);
            return MethodDescriptor.CompletedReturnValue(method.Kind);
        }

        var completion = method.CreateCompletion();
        var chain = CallChain.Current;
        if (chain is not null && chain.Contains(_grainId))
        {
            completion.SetException(new DeadlockException(
                $"Call {chain.Describe(_grainId)} ({_interface.Interface.Name}.{method.Name}) would deadlock: {_grainId} is already waiting in this call chain. " +
                "Make the upward call [OneWay] or restructure it."));
            return method.ToReturnValue(completion);
        }
        var envelope = new Envelope { Kind = MessageKind.Call, Method = method, Args = args, Response = completion, Chain = chain };
        _runtime.Deliver(_grainId, envelope, ref _activation);
        return method.ToReturnValue(_runtime.Options.SerializeMessages ? _runtime.MessageCodec.RoundTripResult(method, completion) : completion);
    }

    public override string ToString() => _grainId.ToString();
}
