namespace GridGov.Realtime.Actors;

/// <summary>A stale writer: the stored ETag is not the one this activation read.</summary>
public sealed class InconsistentStateException(string message) : Exception(message);

/// <summary>
/// A request/response call would wait on an activation that is already waiting, directly or
/// through other grains, for this call chain: a deadlock. The call is refused instead of hanging.
/// </summary>
public sealed class DeadlockException(string message) : Exception(message);

/// <summary>The grain could not be activated (its constructor, state read or OnActivateAsync failed).</summary>
public sealed class GrainActivationException(string message, Exception inner) : Exception(message, inner);

/// <summary>A grain type or interface is not registered with the runtime, or is not a valid grain.</summary>
public sealed class GrainRegistrationException(string message) : Exception(message);

/// <summary>The runtime is stopping or stopped and accepts no new messages.</summary>
public sealed class RuntimeStoppedException(string message) : Exception(message);
