using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// Exactly-once effects decided from the event log (DESIGN.md "Exactly-once effects, concretely"). A service folds the
/// log in order and decides, at each cause, the events it owes (with deterministic ids); an effect is owed until it is
/// read back from the log or confirmed by the broker. The consumer that receives the cause from its queue claims what
/// its patient is owed up to that cause, publishes it and acknowledges: whatever instance decided it, after whatever
/// restart, an effect is published once. Thread-safe; the fold calls it from one thread, consumers from many.
/// </summary>
public sealed class EffectLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OwedEffect>> _owed = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _published = [];
    private readonly Dictionary<Guid, long> _folded = [];
    private readonly Dictionary<Guid, TaskCompletionSource> _waiting = [];
    private readonly Dictionary<string, PatientTurn> _turns = new(StringComparer.Ordinal);
    private long _sequence;

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

                owed.Add(new OwedEffect(sequence, effect));
            }

            _folded.TryAdd(cause.EventId, sequence);
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
            _published.Add(effect.EventId);
            if (_owed.TryGetValue(effect.PatientId, out var owed) && owed.RemoveAll(o => o.Effect.EventId == effect.EventId) > 0 && owed.Count == 0)
            {
                _owed.Remove(effect.PatientId);
            }
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
                return Claim(cause.PatientId, sequence);
            }

            if (!_waiting.TryGetValue(cause.EventId, out var waiter))
            {
                _waiting[cause.EventId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            folded = waiter.Task;
        }

        await folded.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return Claim(cause.PatientId, _folded[cause.EventId]);
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

    private List<OwedEffect> Claim(string patientId, long sequence)
    {
        if (!_owed.TryGetValue(patientId, out var owed))
        {
            return [];
        }

        var claimed = owed.Where(o => o.Sequence <= sequence && !o.Claimed).ToList();
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
public sealed class OwedEffect(long sequence, IPatientEvent effect)
{
    public long Sequence { get; } = sequence;

    public IPatientEvent Effect { get; } = effect;

    /// <summary>A consumer is publishing it now (guarded by the ledger's lock).</summary>
    internal bool Claimed { get; set; }
}
