using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// Every patient's grades, folded from the event log in log order (docs/grading-timeline.md "Exactly once"). Every
/// instance folds the whole log, so every instance decides the same changes, with the same derived ids; only the
/// instance that owns the patient's partition publishes them. A decided change is owed until its event is in the log
/// (or this instance had it confirmed); owed changes are what a restart or a takeover still has to publish.
/// </summary>
internal sealed class GradeBook(TimeProvider clock, ILogger<GradeBook> logger) : IEventLogSink
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, Exception?> LogUnknownTreatment = LoggerMessage.Define<Guid>(
        LogLevel.Warning, default, "Treatment {EventId} has a kind this version does not know; it does not affect grading");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientGrades> _patients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OwedChange>> _owed = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _published = [];
    private readonly Dictionary<Guid, long> _folded = [];
    private readonly Dictionary<Guid, TaskCompletionSource> _waiting = [];
    private long _sequence;

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            switch (entry.Event)
            {
                case CrsGradeChanged or IcansGradeChanged:
                    Published(entry.Event);
                    break;
                case var e when ContractMapping.ToObservation(e) is { } observation:
                    Fold(e.PatientId, observation);
                    break;
                case TreatmentAdministered unknown:
                    LogUnknownTreatment(logger, unknown.EventId, null);
                    Folded(unknown.EventId);
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Once the log has been folded up to <paramref name="observation"/> (the queue can deliver it a moment before the
    /// log reader reads it), the patient's changes still to be published that were decided at or before it, in the
    /// order they were decided, and handed to the caller alone: publish them, then call <see cref="Published"/> for
    /// each, or <see cref="Unclaim"/> when publishing failed. Changes decided at an earlier observation are included,
    /// so the order of publication is the order of decision even if the queue delivered the earlier one later.
    /// </summary>
    public async Task<IReadOnlyList<OwedChange>> ClaimOwedAsync(IPatientEvent observation, CancellationToken cancellationToken)
    {
        Task folded;
        lock (_gate)
        {
            if (_folded.TryGetValue(observation.EventId, out var sequence))
            {
                return Claim(observation.PatientId, sequence);
            }

            if (!_waiting.TryGetValue(observation.EventId, out var waiter))
            {
                _waiting[observation.EventId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            folded = waiter.Task;
        }

        await folded.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return Claim(observation.PatientId, _folded[observation.EventId]);
        }
    }

    /// <summary>A change is published (confirmed by the broker, or read from the log): it is never published again by this instance.</summary>
    public void Published(IPatientEvent change)
    {
        lock (_gate)
        {
            _published.Add(change.EventId);
            if (_owed.TryGetValue(change.PatientId, out var owed) && owed.RemoveAll(o => o.Change.EventId == change.EventId) > 0 && owed.Count == 0)
            {
                _owed.Remove(change.PatientId);
            }
        }
    }

    /// <summary>Gives claimed changes back after a failed publication: the retry claims them again.</summary>
    public void Unclaim(IEnumerable<OwedChange> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                change.Claimed = false;
            }
        }
    }

    /// <summary>A patient's timeline and decisions, read under the lock by <paramref name="read"/>; null for an unknown patient.</summary>
    public T? Read<T>(string patientId, Func<PatientGrades, IReadOnlySet<Guid>, T> read)
        where T : class
    {
        lock (_gate)
        {
            return _patients.TryGetValue(patientId, out var grades) ? read(grades, _published) : null;
        }
    }

    private void Fold(string patientId, Observation observation)
    {
        if (!_patients.TryGetValue(patientId, out var grades))
        {
            _patients[patientId] = grades = new PatientGrades();
        }

        var sequence = ++_sequence;
        var now = clock.GetUtcNow();
        foreach (var change in grades.Record(observation))
        {
            var contract = change.ToContract(patientId, now);
            if (!_published.Contains(contract.EventId))
            {
                if (!_owed.TryGetValue(patientId, out var owed))
                {
                    _owed[patientId] = owed = [];
                }

                owed.Add(new OwedChange(sequence, contract));
            }
        }

        _folded.TryAdd(observation.Id, sequence);
        if (_waiting.Remove(observation.Id, out var waiter))
        {
            waiter.SetResult();
        }
    }

    private void Folded(Guid eventId)
    {
        _folded.TryAdd(eventId, ++_sequence);
        if (_waiting.Remove(eventId, out var waiter))
        {
            waiter.SetResult();
        }
    }

    private List<OwedChange> Claim(string patientId, long sequence)
    {
        if (!_owed.TryGetValue(patientId, out var owed))
        {
            return [];
        }

        var claimed = owed.Where(o => o.Sequence <= sequence && !o.Claimed).ToList();
        foreach (var change in claimed)
        {
            change.Claimed = true;
        }

        return claimed;
    }
}

/// <summary>A change decided at the <see cref="Sequence"/>-th observation folded, not yet known to be published.</summary>
internal sealed class OwedChange(long sequence, IPatientEvent change)
{
    public long Sequence { get; } = sequence;

    public IPatientEvent Change { get; } = change;

    /// <summary>A consumer is publishing it now (guarded by the grade book's lock).</summary>
    public bool Claimed { get; set; }
}
