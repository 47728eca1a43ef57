using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// Exactly-once effects decided from the event log (DESIGN.md "Exactly-once effects, concretely"). A service folds the
/// log in order and decides, at each cause, the events it owes (with deterministic ids); an effect is owed until it is
/// read back from the log or confirmed by the broker. The consumer that receives the cause from its queue claims what
/// its patient is owed up to that cause, publishes it and acknowledges: whatever instance decided it, after whatever
/// restart, an effect is published once. Thread-safe; the fold calls it from one thread, consumers from many.
/// </summary>
/// <remarks>
/// <para><b>No stale effects.</b> Until the follower has caught up with the log (<see cref="CaughtUp"/>), the fold is
/// replaying causes that were handled before; what it decides for them (the same effects, already in the log, or new
/// ones after a change of rules, policy or catalogue) is claimable only by a cause of the replay delivered again (an
/// instance died before acknowledging it: its own, or an earlier one of its patient, in the order decided), never by a
/// live cause; what no redelivery claims within <see cref="EffectLedgerOptions.ReplayGrace"/> of catching up is
/// dropped, unpublished. Nobody is paged today for a grade decided last month.</para>
/// <para><b>Deadlines.</b> A claim waits for the fold to reach its cause at most <see cref="EffectLedgerOptions.FoldDeadline"/>;
/// then it fails with the reason, so the message is retried and then moved to the error queue, and the consumer is free.</para>
/// <para><b>Bounded.</b> The ids of effects published and of causes folded are remembered for the most recent
/// <see cref="EffectLedgerOptions.Remembered"/> of each: enough to settle what is in flight; older causes are not delivered again.</para>
/// </remarks>
public sealed class EffectLedger(EffectLedgerOptions? options = null, TimeProvider? clock = null)
{
    private readonly EffectLedgerOptions _options = options ?? new EffectLedgerOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OwedEffect>> _owed = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _published = [];
    private readonly Queue<Guid> _publishedOrder = new();
    private readonly Dictionary<Guid, long> _folded = [];
    private readonly Queue<Guid> _foldedOrder = new();
    private readonly Dictionary<Guid, TaskCompletionSource> _waiting = [];
    private readonly Dictionary<string, PatientTurn> _turns = new(StringComparer.Ordinal);
    private long _sequence;
    private bool _live;
    private long _liveAfter = long.MaxValue;
    private ITimer? _sweep;

    /// <summary>Whether the fold has caught up with the log: causes folded from now on are live.</summary>
    public bool IsLive
    {
        get
        {
            lock (_gate)
            {
                return _live;
            }
        }
    }

    /// <summary>
    /// The follower has caught up with the log (in fold order: everything folded before was a replay). Effects decided
    /// on the replay and still owed are dropped after <see cref="EffectLedgerOptions.ReplayGrace"/> unless their own cause
    /// claims them first.
    /// </summary>
    public void CaughtUp()
    {
        lock (_gate)
        {
            if (_live)
            {
                return;
            }

            _live = true;
            _liveAfter = _sequence;
            _sweep = _clock.CreateTimer(_ => DropReplayed(), null, _options.ReplayGrace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How many effects decided on the replay were dropped unpublished (no redelivery of their cause claimed them).</summary>
    public int DroppedReplayed { get; private set; }

    /// <summary>
    /// The ledger as saved with a snapshot of the fold: what is owed (decided live, not yet published), and the most
    /// recent ids of effects published and of causes folded (<paramref name="remembered"/> of each), enough to settle what
    /// is in flight after a restart.
    /// </summary>
    public byte[] Save(int remembered = 20_000)
    {
        lock (_gate)
        {
            var owed = _owed.SelectMany(p => p.Value.Where(o => !o.Replayed).Select(o => new OwedState(
                p.Key, o.Sequence, o.CauseId, EventLog.WireName(o.Effect.GetType()), JsonSerializer.SerializeToElement(o.Effect, o.Effect.GetType(), SnapshotJson)))).ToList();
            var published = _publishedOrder.Skip(Math.Max(0, _publishedOrder.Count - remembered)).ToList();
            var folded = _foldedOrder.Skip(Math.Max(0, _foldedOrder.Count - remembered)).Select(id => new FoldedState(id, _folded[id])).ToList();
            return JsonSerializer.SerializeToUtf8Bytes(new LedgerState(_sequence, owed, published, folded), SnapshotJson);
        }
    }

    /// <summary>Restores what <see cref="Save"/> saved (the fold then replays the log after the snapshot: not live until <see cref="CaughtUp"/>).</summary>
    public void Restore(ReadOnlySpan<byte> saved)
    {
        var state = JsonSerializer.Deserialize<LedgerState>(saved, SnapshotJson) ?? throw new InvalidDataException("an empty ledger");
        lock (_gate)
        {
            ClearLocked();
            _sequence = state.Sequence;
            _live = false;
            _liveAfter = long.MaxValue;
            foreach (var o in state.Owed)
            {
                var effect = (IPatientEvent)(o.Effect.Deserialize(EventLog.TypesByWireName[o.Type], SnapshotJson) ?? throw new InvalidDataException("an empty effect"));
                if (!_owed.TryGetValue(o.PatientId, out var owed))
                {
                    _owed[o.PatientId] = owed = [];
                }

                owed.Add(new OwedEffect(o.Sequence, effect, o.CauseId, replayed: false));
            }

            foreach (var id in state.Published)
            {
                if (_published.Add(id))
                {
                    _publishedOrder.Enqueue(id);
                }
            }

            foreach (var folded in state.Folded)
            {
                if (_folded.TryAdd(folded.CauseId, folded.Sequence))
                {
                    _foldedOrder.Enqueue(folded.CauseId);
                }
            }
        }
    }

    /// <summary>Forgets everything (before a full rebuild of the fold).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    private void ClearLocked()
    {
        _live = false;
        _liveAfter = long.MaxValue;
        _owed.Clear();
        _published.Clear();
        _publishedOrder.Clear();
        _folded.Clear();
        _foldedOrder.Clear();
        _sequence = 0;
    }

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    private sealed record LedgerState(long Sequence, List<OwedState> Owed, List<Guid> Published, List<FoldedState> Folded);

    private sealed record OwedState(string PatientId, long Sequence, Guid CauseId, string Type, JsonElement Effect);

    private sealed record FoldedState(Guid CauseId, long Sequence);

    /// <summary>
    /// Waits until no other caller is publishing for <paramref name="patientId"/> in this process; dispose the result to
    /// let the next one in. With the claim of everything owed up to a cause, it keeps a patient's effects in the order
    /// decided even when causes are handled concurrently (a queue without per-patient partitions).
    /// </summary>
    public async Task<IDisposable> TurnAsync(string patientId, CancellationToken cancellationToken)
    {
        PatientTurn turn;
        lock (_gate)
        {
            if (!_turns.TryGetValue(patientId, out turn!))
            {
                _turns[patientId] = turn = new PatientTurn(this, patientId);
            }

            turn.Users++;
        }

        try
        {
            await turn.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(turn);
            throw;
        }

        return turn;
    }

    /// <summary>Records that the fold reached <paramref name="cause"/> and decided <paramref name="effects"/> (those already published are dropped).</summary>
    public void Folded(IPatientEvent cause, IEnumerable<IPatientEvent> effects)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            foreach (var effect in effects)
            {
                if (_published.Contains(effect.EventId))
                {
                    continue;
                }

                if (!_owed.TryGetValue(cause.PatientId, out var owed))
                {
                    _owed[cause.PatientId] = owed = [];
                }

                // The same cause in the log twice (a publisher retried) decides the same effect again: it is owed once.
                if (!owed.Exists(o => o.Effect.EventId == effect.EventId))
                {
                    owed.Add(new OwedEffect(sequence, effect, cause.EventId, replayed: !_live));
                }
            }

            if (_folded.TryAdd(cause.EventId, sequence))
            {
                Remember(_foldedOrder, cause.EventId, id => _folded.Remove(id));
            }

            if (_waiting.Remove(cause.EventId, out var waiter))
            {
                waiter.SetResult();
            }
        }
    }

    /// <summary>An effect is published (confirmed by the broker, or read from the log): it is never owed again.</summary>
    public void Published(IPatientEvent effect)
    {
        lock (_gate)
        {
            if (_published.Add(effect.EventId))
            {
                Remember(_publishedOrder, effect.EventId, id => _published.Remove(id));
            }

            if (_owed.TryGetValue(effect.PatientId, out var owed) && owed.RemoveAll(o => o.Effect.EventId == effect.EventId) > 0 && owed.Count == 0)
            {
                _owed.Remove(effect.PatientId);
            }
        }
    }

    /// <summary>Whether an effect with <paramref name="eventId"/> is decided and not yet known to be published.</summary>
    public bool IsOwed(Guid eventId)
    {
        lock (_gate)
        {
            return _owed.Values.Any(owed => owed.Exists(o => o.Effect.EventId == eventId));
        }
    }

    /// <summary>Whether the event with <paramref name="eventId"/> is known to be published.</summary>
    public bool IsPublished(Guid eventId)
    {
        lock (_gate)
        {
            return _published.Contains(eventId);
        }
    }

    /// <summary>
    /// Once the fold has reached <paramref name="cause"/> (a queue can deliver it a moment before the log reader reads
    /// it), the effects its patient is owed that were decided at or before it, in the order decided, handed to the
    /// caller alone. Effects decided at an earlier cause are included, so effects are published in the order they were
    /// decided even when the queue delivers causes in another order. Publish them, then call <see cref="Published"/>
    /// for each, or <see cref="Unclaim"/> if publishing failed.
    /// </summary>
    public async Task<IReadOnlyList<OwedEffect>> ClaimAsync(IPatientEvent cause, CancellationToken cancellationToken)
    {
        Task folded;
        lock (_gate)
        {
            if (_folded.TryGetValue(cause.EventId, out var sequence))
            {
                return Claim(cause.PatientId, sequence, cause.EventId);
            }

            if (!_waiting.TryGetValue(cause.EventId, out var waiter))
            {
                _waiting[cause.EventId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            folded = waiter.Task;
        }

        try
        {
            await folded.WaitAsync(_options.FoldDeadline, _clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the event log did not reach {cause.GetType().Name} {cause.EventId} of {cause.PatientId} within "
                + $"{_options.FoldDeadline.TotalSeconds:0} s (an entry the log follower skips, or a follower far behind): not handled");
        }

        lock (_gate)
        {
            return _folded.TryGetValue(cause.EventId, out var sequence) ? Claim(cause.PatientId, sequence, cause.EventId) : [];
        }
    }

    /// <summary>Gives claimed effects back after a failed publication: the retry claims them again.</summary>
    public void Unclaim(IEnumerable<OwedEffect> effects)
    {
        lock (_gate)
        {
            foreach (var effect in effects)
            {
                effect.Claimed = false;
            }
        }
    }

    private void Remember(Queue<Guid> order, Guid id, Action<Guid> forget)
    {
        order.Enqueue(id);
        while (order.Count > _options.Remembered)
        {
            forget(order.Dequeue());
        }
    }

    private void DropReplayed()
    {
        lock (_gate)
        {
            foreach (var (patientId, owed) in _owed.ToList())
            {
                DroppedReplayed += owed.RemoveAll(o => o.Replayed && !o.Claimed);
                if (owed.Count == 0)
                {
                    _owed.Remove(patientId);
                }
            }

            _sweep?.Dispose();
            _sweep = null;
        }
    }

    private void Leave(PatientTurn turn)
    {
        lock (_gate)
        {
            if (--turn.Users == 0)
            {
                _turns.Remove(turn.PatientId);
                turn.Gate.Dispose();
            }
        }
    }

    private List<OwedEffect> Claim(string patientId, long sequence, Guid causeId)
    {
        if (!_owed.TryGetValue(patientId, out var owed))
        {
            return [];
        }

        // Effects decided on the replay go with their own cause, or a later cause of the replay delivered again (both left
        // by an instance that died before acknowledging them: in the order decided); a live cause never takes them.
        var replayedCause = sequence <= _liveAfter;
        var claimed = owed.Where(o => !o.Claimed && (o.CauseId == causeId || (o.Sequence <= sequence && (!o.Replayed || replayedCause)))).ToList();
        foreach (var effect in claimed)
        {
            effect.Claimed = true;
        }

        return claimed;
    }

    /// <summary>One patient's turn: a gate and how many callers hold or wait for it (guarded by the ledger's lock).</summary>
    private sealed class PatientTurn(EffectLedger ledger, string patientId) : IDisposable
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string PatientId { get; } = patientId;

        public int Users { get; set; }

        public void Dispose()
        {
            Gate.Release();
            ledger.Leave(this);
        }
    }
}

/// <summary>An effect decided at the <see cref="Sequence"/>-th cause folded, not yet known to be published.</summary>
public sealed class OwedEffect(long sequence, IPatientEvent effect, Guid causeId, bool replayed)
{
    public long Sequence { get; } = sequence;

    public IPatientEvent Effect { get; } = effect;

    /// <summary>The cause it was decided for.</summary>
    public Guid CauseId { get; } = causeId;

    /// <summary>Decided while the fold replayed the log: claimable by its own cause only.</summary>
    public bool Replayed { get; } = replayed;

    /// <summary>A consumer is publishing it now (guarded by the ledger's lock).</summary>
    internal bool Claimed { get; set; }
}

/// <summary>The ledger's bounds (<see cref="EffectLedger"/>).</summary>
public sealed record EffectLedgerOptions
{
    /// <summary>How long a claim waits for the fold to reach its cause (default 30 s).</summary>
    public TimeSpan FoldDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after catching up an effect decided on the replay waits for its own cause's redelivery (default 2 min).</summary>
    public TimeSpan ReplayGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many ids of published effects, and of folded causes, are remembered (default 200 000 each).</summary>
    public int Remembered { get; init; } = 200_000;
}

/// <summary>Registration of the <see cref="EffectLedger"/>.</summary>
public static class EffectLedgerExtensions
{
    /// <summary>
    /// The service's <see cref="EffectLedger"/>, with <c>EffectLedger:FoldDeadline</c> and <c>EffectLedger:ReplayGrace</c>
    /// (time spans) from the configuration when set.
    /// </summary>
    public static IServiceCollection AddEffectLedger(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("EffectLedger");
        var defaults = new EffectLedgerOptions();
        var options = new EffectLedgerOptions
        {
            FoldDeadline = Positive(section, "FoldDeadline") ?? defaults.FoldDeadline,
            ReplayGrace = Positive(section, "ReplayGrace") ?? defaults.ReplayGrace,
        };
        services.AddSingleton(options);
        services.AddSingleton(sp => new EffectLedger(options, sp.GetService<TimeProvider>()));
        return services;
    }

    private static TimeSpan? Positive(IConfigurationSection section, string name) =>
        section[name] is not { } text ? null
        : TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw new InvalidOperationException($"EffectLedger:{name} must be a positive time span, e.g. 00:00:30 (was '{text}').");
}
