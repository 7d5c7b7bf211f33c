using System.Linq.Expressions;
using System.Reflection;

namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// Everything the runtime needs to turn one grain-interface method into a message and back:
/// a compiled invoker (no reflection per call), whether it is one-way, and how to build the
/// caller's typed task.
/// </summary>
internal sealed class MethodDescriptor
{
    private readonly Func<object, object?[], Task> _invoke;
    private readonly Func<ResponseCompletion> _createCompletion;

    private MethodDescriptor(MethodInfo method, bool isOneWay, ReturnKind kind, Type? resultType,
        Func<object, object?[], Task> invoke, Func<ResponseCompletion> createCompletion)
    {
        Method = method;
        Name = method.Name;
        IsOneWay = isOneWay;
        Kind = kind;
        ResultType = resultType;
        ParameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        _invoke = invoke;
        _createCompletion = createCompletion;
    }

    public MethodInfo Method { get; }
    public string Name { get; }
    public bool IsOneWay { get; }
    public ReturnKind Kind { get; }
    public Type? ResultType { get; }
    public Type[] ParameterTypes { get; }

    public Task Invoke(object grain, object?[] args) => _invoke(grain, args);

    public ResponseCompletion CreateCompletion() => _createCompletion();

    /// <summary>The object a proxy returns to its caller for this method's declared return type.</summary>
    public object ToReturnValue(ResponseCompletion completion) => Kind switch
    {
        ReturnKind.Task or ReturnKind.TaskOfT => completion.Task,
        ReturnKind.ValueTask => new ValueTask(completion.Task),
        _ => completion.ToValueTaskOfT(),
    };

    public static object CompletedReturnValue(ReturnKind kind) =>
        kind == ReturnKind.ValueTask ? default(ValueTask) : Task.CompletedTask;

    public static MethodDescriptor Create(Type grainInterface, MethodInfo method)
    {
        var (kind, resultType) = Classify(grainInterface, method);
        var isOneWay = method.GetCustomAttribute<OneWayAttribute>() is not null;
        if (isOneWay && kind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
        {
            throw new GrainRegistrationException(
                $"{grainInterface.Name}.{method.Name} is [OneWay] but returns a value; a one-way method must return Task or ValueTask.");
        }
        foreach (var p in method.GetParameters())
        {
            if (p.ParameterType.IsByRef)
            {
                throw new GrainRegistrationException($"{grainInterface.Name}.{method.Name}: parameter '{p.Name}' is by-ref; messages carry values only.");
            }
        }

        var completionType = typeof(ResponseCompletion<>).MakeGenericType(resultType ?? typeof(object));
        var create = Expression.Lambda<Func<ResponseCompletion>>(Expression.New(completionType)).Compile();
        return new MethodDescriptor(method, isOneWay, kind, resultType, CompileInvoker(grainInterface, method, kind), create);
    }

    private static (ReturnKind, Type?) Classify(Type grainInterface, MethodInfo method)
    {
        var rt = method.ReturnType;
        if (rt == typeof(Task)) return (ReturnKind.Task, null);
        if (rt == typeof(ValueTask)) return (ReturnKind.ValueTask, null);
        if (rt.IsGenericType && rt.GetGenericTypeDefinition() == typeof(Task<>)) return (ReturnKind.TaskOfT, rt.GetGenericArguments()[0]);
        if (rt.IsGenericType && rt.GetGenericTypeDefinition() == typeof(ValueTask<>)) return (ReturnKind.ValueTaskOfT, rt.GetGenericArguments()[0]);
        throw new GrainRegistrationException(
            $"{grainInterface.Name}.{method.Name} returns {rt.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    // (object grain, object?[] args) => (Task)((IFoo)grain).Bar((A)args[0], (B)args[1])  [.AsTask() for ValueTask]
    private static Func<object, object?[], Task> CompileInvoker(Type grainInterface, MethodInfo method, ReturnKind kind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters()
            .Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        Expression call = Expression.Call(Expression.Convert(grain, grainInterface), method, parameters);
        if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }
        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }
}

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
