using System.Reflection;
using GridGov.Realtime.Actors.Serialization;
using GridGov.Realtime.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>A registered grain class: its type name, how to construct it, and its interface methods.</summary>
internal sealed class GrainTypeInfo
{
    private readonly ObjectFactory _factory;
    private readonly StateParameter[] _stateParameters;

    public GrainTypeInfo(string name, Type grainClass)
    {
        Name = name;
        GrainClass = grainClass;
        IsRemindable = typeof(IRemindable).IsAssignableFrom(grainClass);
        var ctor = grainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new GrainRegistrationException($"{grainClass.Name} has no public constructor.");
        _stateParameters = ctor.GetParameters()
            .Where(p => p.GetCustomAttribute<PersistentStateAttribute>() is not null)
            .Select(p => StateParameter.Create(grainClass, p))
            .ToArray();
        _factory = ActivatorUtilities.CreateFactory(grainClass, _stateParameters.Select(s => s.ParameterType).ToArray());
    }

    public string Name { get; }
    public Type GrainClass { get; }
    public bool IsRemindable { get; }

    /// <summary>Constructs the grain with its persistent states; returns the states so the activation can read them.</summary>
    public (Grain Grain, IStateLoader[] States) Create(IServiceProvider services, GrainId id, IGrainStorage storage, ActorJsonOptions json)
    {
        var states = new IStateLoader[_stateParameters.Length];
        var args = new object[_stateParameters.Length];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = _stateParameters[i].CreateState(id, storage, json);
            args[i] = states[i];
        }
        return ((Grain)_factory(services, args), states);
    }

    private sealed record StateParameter(string StateName, Type StateType, Type ParameterType)
    {
        public static StateParameter Create(Type grainClass, ParameterInfo p)
        {
            var t = p.ParameterType;
            if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new GrainRegistrationException($"{grainClass.Name}: [PersistentState] parameter '{p.Name}' must be IPersistentState<T>.");
            }
            return new StateParameter(p.GetCustomAttribute<PersistentStateAttribute>()!.StateName, t.GetGenericArguments()[0], t);
        }

        public IStateLoader CreateState(GrainId id, IGrainStorage storage, ActorJsonOptions json) =>
            (IStateLoader)Activator.CreateInstance(
                typeof(PersistentState<>).MakeGenericType(StateType), StateName, id, storage, json.GetTypeInfo(StateType))!;
    }
}
