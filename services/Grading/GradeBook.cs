using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// Every patient's grades, folded from the event log in log order (docs/grading-timeline.md "Exactly once"). Every
/// instance folds the whole log, so every instance decides the same changes, with the same derived ids; only the
/// instance that owns the patient's partition publishes them, when the cause's message reaches it. A decided change
/// is "owed" until its event appears in the log; owed changes are what a restart or a takeover still has to publish.
/// </summary>
internal sealed class GradeBook(TimeProvider clock, ILogger<GradeBook> logger) : IEventLogSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientGrades> _patients = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, List<IPatientEvent>> _owed = [];
    private readonly HashSet<Guid> _published = [];
    private readonly HashSet<Guid> _folded = [];
    private readonly Dictionary<Guid, TaskCompletionSource> _waiting = [];

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            switch (entry.Event)
            {
                case CrsGradeChanged or IcansGradeChanged:
                    Logged(entry.Event);
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
    /// The changes caused by <paramref name="observationId"/> that are still to be published, once the log has been
    /// folded up to it (the queue can deliver an event a moment before the log reader reads it).
    /// </summary>
    public async Task<IReadOnlyList<IPatientEvent>> OwedForAsync(Guid observationId, CancellationToken cancellationToken)
    {
        Task folded;
        lock (_gate)
        {
            if (_folded.Contains(observationId))
            {
                return Owed(observationId);
            }

            if (!_waiting.TryGetValue(observationId, out var waiter))
            {
                _waiting[observationId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            folded = waiter.Task;
        }

        await folded.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return Owed(observationId);
        }
    }

    /// <summary>Marks a change published (confirmed by the broker), so this instance never publishes it twice.</summary>
    public void Published(IPatientEvent change)
    {
        lock (_gate)
        {
            Logged(change);
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

        var now = clock.GetUtcNow();
        foreach (var change in grades.Record(observation))
        {
            var contract = change.ToContract(patientId, now);
            if (!_published.Contains(contract.EventId))
            {
                if (!_owed.TryGetValue(observation.Id, out var owed))
                {
                    _owed[observation.Id] = owed = [];
                }

                owed.Add(contract);
            }
        }

        Folded(observation.Id);
    }

    private void Folded(Guid eventId)
    {
        _folded.Add(eventId);
        if (_waiting.Remove(eventId, out var waiter))
        {
            waiter.SetResult();
        }
    }

    private void Logged(IPatientEvent change)
    {
        _published.Add(change.EventId);
        var cause = change switch
        {
            CrsGradeChanged c => c.CausedByEventId,
            IcansGradeChanged i => i.CausedByEventId,
            _ => Guid.Empty,
        };
        if (_owed.TryGetValue(cause, out var owed) && owed.RemoveAll(o => o.EventId == change.EventId) > 0 && owed.Count == 0)
        {
            _owed.Remove(cause);
        }
    }

    private List<IPatientEvent> Owed(Guid observationId) =>
        _owed.TryGetValue(observationId, out var owed) ? [.. owed] : [];

    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, Exception?> LogUnknownTreatment = LoggerMessage.Define<Guid>(
        LogLevel.Warning, default, "Treatment {EventId} has a kind this version does not know; it does not affect grading");
}
