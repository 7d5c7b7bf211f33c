using System.Collections.Frozen;
using System.Reflection;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>Maps grain interfaces and grain type names to grain classes. Built once at start-up.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<Type, GrainInterfaceInfo> _byInterface;
    private readonly FrozenDictionary<string, GrainTypeInfo> _byName;

    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations)
    {
        var byName = new Dictionary<string, GrainTypeInfo>(StringComparer.Ordinal);
        var byInterface = new Dictionary<Type, GrainInterfaceInfo>();
        foreach (var grainClass in registrations.Select(r => r.GrainClass).Distinct())
        {
            var info = new GrainTypeInfo(GrainTypeName(grainClass), grainClass);
            if (byName.TryGetValue(info.Name, out var existing))
            {
                throw new GrainRegistrationException($"Grain type name '{info.Name}' is used by both {existing.GrainClass.Name} and {grainClass.Name}.");
            }
            byName[info.Name] = info;
            foreach (var iface in grainClass.GetInterfaces().Where(i => typeof(IGrainWithStringKey).IsAssignableFrom(i) && i != typeof(IGrainWithStringKey)))
            {
                if (byInterface.TryGetValue(iface, out var other))
                {
                    throw new GrainRegistrationException($"{iface.Name} is implemented by both {other.Type.GrainClass.Name} and {grainClass.Name}; a grain interface needs exactly one grain class.");
                }
                byInterface[iface] = new GrainInterfaceInfo(iface, info);
            }
        }
        _byInterface = byInterface.ToFrozenDictionary();
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<GrainTypeInfo> GrainTypes => _byName.Values;

    public GrainInterfaceInfo GetInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var info)
            ? info
            : throw new GrainRegistrationException($"No grain class implementing {grainInterface.FullName} is registered; call AddGrain or AddGrainsFromAssembly.");

    public bool TryGetType(string name, out GrainTypeInfo info) => _byName.TryGetValue(name, out info!);

    public GrainTypeInfo GetType(string name) =>
        TryGetType(name, out var info) ? info : throw new GrainRegistrationException($"Grain type '{name}' is not registered.");

    public static string GrainTypeName(Type grainClass)
    {
        if (grainClass.GetCustomAttribute<GrainTypeAttribute>() is { } attr) return attr.Name;
        var name = grainClass.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5) name = name[..^5];
        return name.ToLowerInvariant();
    }
}

/// <summary>A grain interface: its grain type and a descriptor per method (including inherited interfaces).</summary>
internal sealed class GrainInterfaceInfo
{
    public GrainInterfaceInfo(Type iface, GrainTypeInfo type)
    {
        Interface = iface;
        Type = type;
        Methods = new[] { iface }.Concat(iface.GetInterfaces())
            .Where(i => i != typeof(IGrain) && i != typeof(IGrainWithStringKey))
            .SelectMany(i => i.GetMethods())
            .ToFrozenDictionary(m => m, m => MethodDescriptor.Create(m.DeclaringType!, m));
    }

    public Type Interface { get; }
    public GrainTypeInfo Type { get; }
    public FrozenDictionary<MethodInfo, MethodDescriptor> Methods { get; }

    /// <summary>
    /// One proxy made by <see cref="DispatchProxy"/> for this interface, cloned for every <c>GetGrain</c>: creating a
    /// DispatchProxy goes through reflection (Activator with arguments) on every call, a clone is a memory copy.
    /// </summary>
    public GrainProxy? ProxyPrototype { get; set; }
}

/// <summary>A grain class the host registered.</summary>
public sealed record GrainRegistration(Type GrainClass);
