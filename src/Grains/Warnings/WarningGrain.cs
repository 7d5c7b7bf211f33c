using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Warnings;

/// <summary>
/// The warnings issued for one region, keyed by the region code. A warning applies to the region and
/// every region below it; several may be active at once (e.g. a rainstorm and a heat warning), and the
/// region's own level is the highest active one. See <see cref="WarningLevels"/> for the effective level
/// of any region (its own and its ancestors').
/// </summary>
public interface IWarningGrain : IGrainWithStringKey
{
    /// <summary>Issues a new warning here. Idempotent by request id.</summary>
    Task<WarningResult> Issue(IssueWarning command);

    /// <summary>Raises or lowers an active warning. Idempotent by request id.</summary>
    Task<WarningResult> Change(ChangeWarning command);

    /// <summary>Lifts (ends) an active warning. Idempotent by request id.</summary>
    Task<WarningResult> Lift(LiftWarning command);

    /// <summary>The active warnings issued here, most severe first.</summary>
    Task<IReadOnlyList<WarningView>> Get();

    /// <summary>The most severe active warning issued here, or null.</summary>
    Task<WarningView?> Highest();

    /// <summary>Every change of every warning issued here, oldest first.</summary>
    Task<IReadOnlyList<WarningHistoryEntry>> History();

    /// <summary>Publishes the region's current warning again (after a restart: the broker's retained store is in memory).</summary>
    Task Republish();
}

/// <summary>
/// The warning actor: decides with <see cref="WarningAuthority"/>, persists (state "warnings"), then
/// tells the live feed (every change) and the publisher (whenever the region's highest active warning
/// changes: the retained MQTT message). A failing publish is logged; the change stays applied.
/// </summary>
public sealed partial class WarningGrain(
    [PersistentState("warnings")] IPersistentState<WarningRegionState> state,
    IRegionDirectory regions,
    WarningAuthority authority,
    ILiveFeed feed,
    IWarningPublisher publisher,
    ILogger<WarningGrain> logger) : Grain, IWarningGrain
{
    private WarningRegionState S => state.State;
    private string Code => GetPrimaryKeyString();
    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public async Task<WarningResult> Issue(IssueWarning command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command.RequestId, command.Actor, command.Reason) is { } invalid) return invalid;
        if (Replay(command.RequestId, WarningAction.Issued, null) is { } replay) return replay;
        if (!Enum.IsDefined(command.Level)) return WarningResult.Invalid("level", "level is Blue, Yellow, Orange or Red.");
        if (command.Type is { } type && type.Length > authority.Options.MaxReasonLength) return WarningResult.Invalid("type", "type is too long.");
        if (regions.Find(Code) is not { } region) return WarningResult.NotFound($"There is no region {Code}.");
        if (authority.CheckLevel(command.Actor, region, command.Level) is { } refused) return refused;

        var now = Now;
        var id = $"{Code}-{S.LastSequence + 1}";
        var warning = new WarningView(id, Code, command.Level, NullIfBlank(command.Type), command.Reason.Trim(), command.Actor.UserName, command.Actor.Role,
            command.Actor.Scope ?? "", now, now, command.Actor.UserName, Active: true);
        var entry = new WarningHistoryEntry(id, WarningAction.Issued, command.Actor.UserName, command.Actor.Role, now, null, command.Level, warning.Reason, command.RequestId);
        return await ApplyAsync(warning, entry, sequence: S.LastSequence + 1);
    }

    public async Task<WarningResult> Change(ChangeWarning command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command.RequestId, command.Actor, command.Reason) is { } invalid) return invalid;
        if (Replay(command.RequestId, null, command.WarningId) is { } replay) return replay;
        if (!Enum.IsDefined(command.Level)) return WarningResult.Invalid("level", "level is Blue, Yellow, Orange or Red.");
        if (Find(command.WarningId) is not { } warning) return WarningResult.NotFound($"Region {Code} has no warning {command.WarningId}.");
        if (authority.CheckIssuerOrSuperior(command.Actor, warning) is { } notYours) return notYours;
        if (!warning.Active) return WarningResult.Conflict($"Warning {warning.Id} was lifted at {warning.LiftedAt:O}.");
        if (warning.Level == command.Level) return WarningResult.Invalid("level", $"Warning {warning.Id} is already {warning.Level}.");
        if (regions.Find(Code) is not { } region) return WarningResult.NotFound($"There is no region {Code}.");
        if (authority.CheckLevel(command.Actor, region, command.Level) is { } refused) return refused;

        var now = Now;
        var action = command.Level > warning.Level ? WarningAction.Raised : WarningAction.Lowered;
        var changed = warning with { Level = command.Level, Since = now, ChangedBy = command.Actor.UserName, Reason = command.Reason.Trim() };
        var entry = new WarningHistoryEntry(warning.Id, action, command.Actor.UserName, command.Actor.Role, now, warning.Level, command.Level, changed.Reason, command.RequestId);
        return await ApplyAsync(changed, entry);
    }

    public async Task<WarningResult> Lift(LiftWarning command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command.RequestId, command.Actor, command.Reason) is { } invalid) return invalid;
        if (Replay(command.RequestId, WarningAction.Lifted, command.WarningId) is { } replay) return replay;
        if (Find(command.WarningId) is not { } warning) return WarningResult.NotFound($"Region {Code} has no warning {command.WarningId}.");
        if (authority.CheckIssuerOrSuperior(command.Actor, warning) is { } notYours) return notYours;
        if (!warning.Active) return WarningResult.Conflict($"Warning {warning.Id} was already lifted at {warning.LiftedAt:O}.");

        var now = Now;
        var lifted = warning with { Active = false, LiftedAt = now, LiftedBy = command.Actor.UserName, ChangedBy = command.Actor.UserName };
        var entry = new WarningHistoryEntry(warning.Id, WarningAction.Lifted, command.Actor.UserName, command.Actor.Role, now, warning.Level, null, command.Reason.Trim(), command.RequestId);
        return await ApplyAsync(lifted, entry);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Repairs the registry after a crash between this grain's write and the registry's.
        if (S.Warnings.Exists(w => w.Active)) await Registry.SetActive(Code, true);
    }

    public Task Republish() => PublishAsync(ActiveBySeverity().FirstOrDefault());

    private IWarningRegistryGrain Registry => GrainFactory.GetGrain<IWarningRegistryGrain>(IWarningRegistryGrain.Key);

    public Task<IReadOnlyList<WarningView>> Get() => Task.FromResult<IReadOnlyList<WarningView>>(ActiveBySeverity());

    public Task<WarningView?> Highest() => Task.FromResult(ActiveBySeverity().FirstOrDefault());

    public Task<IReadOnlyList<WarningHistoryEntry>> History() => Task.FromResult<IReadOnlyList<WarningHistoryEntry>>([.. S.History]);

    private List<WarningView> ActiveBySeverity() =>
        [.. S.Warnings.Where(w => w.Active).OrderByDescending(w => w.Level).ThenBy(w => w.IssuedAt)];

    private WarningView? Find(string? id) => S.Warnings.Find(w => w.Id == id);

    private WarningResult? Validate(string? requestId, WarningActor? actor, string? reason)
    {
        if (string.IsNullOrWhiteSpace(requestId)) return WarningResult.Invalid("requestId", "requestId is required (a client-chosen id that makes retries safe).");
        if (actor is null || string.IsNullOrEmpty(actor.UserName)) return WarningResult.Forbidden("An authenticated user is required.");
        if (string.IsNullOrWhiteSpace(reason)) return WarningResult.Invalid("reason", "reason is required.");
        if (reason.Length > authority.Options.MaxReasonLength) return WarningResult.Invalid("reason", $"reason is at most {authority.Options.MaxReasonLength} characters.");
        return null;
    }

    /// <summary>A repeated request id returns the warning as it is now (not applied again); reused for another command it is a conflict.</summary>
    private WarningResult? Replay(string requestId, WarningAction? action, string? warningId)
    {
        if (S.History.Find(h => h.RequestId == requestId) is not { } done) return null;
        var sameCommand = (action is null ? done.Action is WarningAction.Raised or WarningAction.Lowered : done.Action == action)
            && (warningId is null || done.WarningId == warningId);
        return sameCommand
            ? new WarningResult(WarningCommandStatus.Ok, Find(done.WarningId), Replayed: true)
            : WarningResult.Conflict($"Request id {requestId} was already used for another command ({done.Action} {done.WarningId}).", "requestId");
    }

    private async Task<WarningResult> ApplyAsync(WarningView warning, WarningHistoryEntry entry, int? sequence = null)
    {
        var before = ActiveBySeverity().FirstOrDefault();
        var index = S.Warnings.FindIndex(w => w.Id == warning.Id);
        var previous = state.State;
        var next = new WarningRegionState
        {
            LastSequence = sequence ?? previous.LastSequence,
            Warnings = [.. previous.Warnings],
            History = [.. previous.History, entry],
        };
        if (index < 0) next.Warnings.Add(warning);
        else next.Warnings[index] = warning;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous; // not durable: the command did not happen
            throw;
        }

        var scopes = regions.Find(Code) is null ? [Code] : regions.ScopesOf(Code);
        feed.WarningChanged(new WarningUpdate(warning.Id, Code, SubtreePrefix(), warning.Level, entry.From, warning.Active, entry.Action.ToString(),
            warning.IssuedBy, entry.By, entry.Reason, warning.Type, scopes, entry.At));

        var after = ActiveBySeverity().FirstOrDefault();
        if ((before is null) != (after is null)) await SetRegisteredAsync(after is not null);
        if (!SameSignal(before, after)) await PublishAsync(after);
        return new WarningResult(WarningCommandStatus.Ok, warning);
    }

    private async Task SetRegisteredAsync(bool active)
    {
        try
        {
            await Registry.SetActive(Code, active);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Only the start-up republish depends on it, and the next activation repairs it.
            LogRegistryFailed(logger, ex, Code);
        }
    }

    private async Task PublishAsync(WarningView? top)
    {
        try
        {
            await publisher.PublishAsync(Code, top is null ? null : new RegionWarningSignal(Code, top.Level, top.Id, top.IssuedBy, top.Since, top.Reason, top.Type));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPublishFailed(logger, ex, Code);
        }
    }

    private static bool SameSignal(WarningView? a, WarningView? b) =>
        a is null ? b is null : b is not null && a.Id == b.Id && a.Level == b.Level && a.Since == b.Since;

    /// <summary>The code prefix every region below this one starts with (a city's significant digits, else the code).</summary>
    private string SubtreePrefix()
    {
        var scheme = regions.Scheme;
        return scheme.TryGetLevel(Code, out var level, out _) ? Code[..Math.Min(Code.Length, scheme.SignificantLength(level))] : Code;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {RegionCode}: updating the warning registry failed")]
    private static partial void LogRegistryFailed(ILogger logger, Exception exception, string regionCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Region {RegionCode}: publishing the retained warning failed; the change itself is stored")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string regionCode);
}
