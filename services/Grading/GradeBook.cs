using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Events;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// Every patient's grades, folded from the event log in log order (docs/grading-timeline.md "Exactly once"). Every
/// instance folds the whole log, so every instance decides the same changes, with the same derived ids, into the
/// <see cref="EffectLedger"/>; only the instance that owns the patient's partition publishes them.
/// </summary>
internal sealed class GradeBook(EffectLedger ledger, TimeProvider clock, ILogger<GradeBook> logger) : IEventLogSink
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, Exception?> LogUnknownTreatment = LoggerMessage.Define<Guid>(
        LogLevel.Warning, default, "Treatment {EventId} has a kind this version does not know; it does not affect grading");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientGrades> _patients = new(StringComparer.Ordinal);

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        switch (entry.Event)
        {
            case CrsGradeChanged or IcansGradeChanged:
                ledger.Published(entry.Event);
                break;
            case var e when GradingObservations.From(e) is { } observation:
                ledger.Folded(e, Fold(e.PatientId, observation));
                break;
            case TreatmentAdministered unknown:
                LogUnknownTreatment(logger, unknown.EventId, null);
                ledger.Folded(unknown, []);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A patient's timeline and decisions, read under the lock by <paramref name="read"/>; null for an unknown patient.</summary>
    public T? Read<T>(string patientId, Func<PatientGrades, Func<Guid, bool>, T> read)
        where T : class
    {
        lock (_gate)
        {
            return _patients.TryGetValue(patientId, out var grades) ? read(grades, ledger.IsPublished) : null;
        }
    }

    private List<IPatientEvent> Fold(string patientId, Observation observation)
    {
        lock (_gate)
        {
            if (!_patients.TryGetValue(patientId, out var grades))
            {
                _patients[patientId] = grades = new PatientGrades();
            }

            var now = clock.GetUtcNow();
            return [.. grades.Record(observation).Select(change => change.ToContract(patientId, now))];
        }
    }
}
