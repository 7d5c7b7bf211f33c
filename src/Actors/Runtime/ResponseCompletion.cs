namespace GridGov.Realtime.Actors.Runtime;

/// <summary>
/// The caller's side of a request: completed by the callee's turn. Continuations run asynchronously
/// so a callee's turn loop never runs the caller's code inline.
/// </summary>
internal abstract class ResponseCompletion
{
    public abstract Task Task { get; }
    public abstract void SetFromCompletedTask(Task task);
    public abstract void SetResult(object? value);
    public abstract void SetException(Exception exception);
    public abstract object ToValueTaskOfT();
    public abstract object? GetResult();
}

internal sealed class ResponseCompletion<T> : ResponseCompletion
{
    private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task Task => _tcs.Task;

    public override void SetFromCompletedTask(Task task)
    {
        if (task is Task<T> typed) _tcs.TrySetResult(typed.Result);
        else _tcs.TrySetResult(default!);
    }

    public override void SetResult(object? value) => _tcs.TrySetResult((T)value!);

    public override void SetException(Exception exception) => _tcs.TrySetException(exception);

    public override object ToValueTaskOfT() => new ValueTask<T>(_tcs.Task);

    public override object? GetResult() => _tcs.Task.Result;
}
