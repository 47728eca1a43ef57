using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Events;
using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// Every patient's grades, folded from the event log in log order (docs/grading-timeline.md "Exactly once"). Every
/// instance folds the whole log, so every instance decides the same changes, notices and clock reviews, with the same
/// derived ids, into the <see cref="EffectLedger"/>; only the instance that owns the patient's partition publishes them.
/// Until the log holds the live rule set's <see cref="RuleSetAdopted"/> (CLINICAL-RULES.md §8.5) observations are decided
/// under the frozen <c>astct-2019/1</c>, as the version that recorded them did, while rule set /2 replays them without
/// deciding; from the cut-over on, /2 decides, starting from the grades /1 published: nothing is published again for the past.
/// </summary>
internal sealed class GradeBook(EffectLedger ledger, GradingWindows windows, TimeProvider clock, ILogger<GradeBook> logger) : ISnapshotSink
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>The live rule set and the CTCAE rule set beside it.</summary>
    public static readonly (string Astct, string Ctcae) LiveRuleSet = (RuleSet.Astct2019v2.Id, RuleSet.Ctcae5CrsV2.Id);

    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, Exception?> LogUnknownTreatment = LoggerMessage.Define<Guid>(
        LogLevel.Warning, default, "Treatment {EventId} has a kind this version does not know; it does not affect grading");

    private static readonly Action<ILogger, string, DateTimeOffset, int, Exception?> LogAdopted = LoggerMessage.Define<string, DateTimeOffset, int>(
        LogLevel.Information, default, "Rule set {RuleSet} adopted from {AdoptedAt}: {PatientCount} patients go on under it");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientRecord> _patients = new(StringComparer.Ordinal);
    private RuleSetAdopted? _adopted;

    /// <summary>The cut-over to the live rule set, once the log holds it.</summary>
    public RuleSetAdopted? Adopted
    {
        get
        {
            lock (_gate)
            {
                return _adopted;
            }
        }
    }

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            switch (entry.Event)
            {
                case RuleSetAdopted adopted when adopted.RuleSet == LiveRuleSet.Astct && _adopted is null:
                    Adopt(adopted);
                    break;
                case CrsGradeChanged or IcansGradeChanged or ObservationOverdue:
                    ledger.Published(entry.Event);
                    break;
                case GradingReviewed review:
                    ledger.Published(review);
                    ledger.Folded(review, _adopted is null ? [] : Decide(review.PatientId, GradingObservations.FromV2(review, recordedUnderV1: false)!));
                    break;
                case DoseReviewed planned:
                    ledger.Folded(planned, PlannedDose(planned));
                    break;
                case TreatmentAdministered unknown when GradingObservations.FromV1(unknown) is null:
                    LogUnknownTreatment(logger, unknown.EventId, null);
                    ledger.Folded(unknown, []);
                    break;
                case var e when GradingObservations.FromV1(e) is { } v1:
                    ledger.Folded(e, _adopted is null ? DecideV1(e, v1) : Decide(e.PatientId, GradingObservations.FromV2(e, recordedUnderV1: false)!));
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The fold's format, the live rule sets and the site's windows: a snapshot of other ones is not used.</summary>
    public string SnapshotVersion => $"grading/1;{LiveRuleSet.Astct};{LiveRuleSet.Ctcae};{string.Join(',', windows.All().Select(w => $"{w.Name}={w.Value}"))}";

    /// <summary>Every patient's /2 grades and the cut-over; nothing before the cut-over (rule set /1 is folded from the log).</summary>
    public byte[]? SaveSnapshot()
    {
        lock (_gate)
        {
            return _adopted is null
                ? null
                : JsonSerializer.SerializeToUtf8Bytes(new BookState(_adopted, [.. _patients.Select(p => new PatientState(p.Key, p.Value.V2.Save()))]), SnapshotJson);
        }
    }

    public void RestoreSnapshot(ReadOnlySpan<byte> state)
    {
        var saved = JsonSerializer.Deserialize<BookState>(state, SnapshotJson) ?? throw new InvalidDataException("an empty grade book");
        lock (_gate)
        {
            _patients.Clear();
            _adopted = saved.Adopted;
            foreach (var patient in saved.Patients)
            {
                _patients[patient.Id] = new PatientRecord(PatientGradesV2.Restore(patient.Grades, windows));
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _patients.Clear();
            _adopted = null;
        }
    }

    /// <summary>A patient's grades, read under the lock by <paramref name="read"/>; null for an unknown patient.</summary>
    public T? Read<T>(string patientId, Func<PatientGradesV2, Func<Guid, bool>, T> read)
        where T : class
    {
        lock (_gate)
        {
            return _patients.TryGetValue(patientId, out var patient) ? read(patient.V2, ledger.IsPublished) : null;
        }
    }

    /// <summary>The clock reviews due at <paramref name="now"/> (C2-CLK-1) that are not in the log yet, one per patient.</summary>
    public IReadOnlyList<GradingReviewed> DueReviews(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = new List<GradingReviewed>();
            if (_adopted is null)
            {
                return due;
            }

            foreach (var (patientId, patient) in _patients)
            {
                if (patient.V2.NextReview is { } review && review.Due <= now && !ledger.IsPublished(ContractMapping.ReviewId(patientId, review)))
                {
                    due.Add(review.ToContract(patientId, now));
                }
            }

            return due;
        }
    }

    /// <summary>The review <paramref name="reviewId"/> if it is still <paramref name="patientId"/>'s next one, due at <paramref name="now"/> and not in the log; else null.</summary>
    public GradingReviewed? OwedReview(string patientId, Guid reviewId, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _adopted is not null && _patients.TryGetValue(patientId, out var patient) && patient.V2.NextReview is { } review
                && review.Due <= now && ContractMapping.ReviewId(patientId, review) == reviewId && !ledger.IsPublished(reviewId)
                ? review.ToContract(patientId, now)
                : null;
        }
    }

    /// <summary>A planned dose due with no record (C2-RW-1): rule set /2 only; before the cut-over it is replayed, deciding nothing.</summary>
    private List<IPatientEvent> PlannedDose(DoseReviewed planned)
    {
        if (GradingObservations.FromV2(planned, recordedUnderV1: false) is not { } observation)
        {
            return [];
        }

        if (_adopted is null)
        {
            Patient(planned.PatientId).V2.Replay(observation);
            return [];
        }

        return Decide(planned.PatientId, observation);
    }

    private List<IPatientEvent> DecideV1(IPatientEvent e, Observation observation)
    {
        var patient = Patient(e.PatientId);
        patient.V2.Replay(GradingObservations.FromV2(e, recordedUnderV1: true)!);
        var now = clock.GetUtcNow();
        return [.. (patient.V1 ??= new PatientGrades()).Record(observation).Select(change => change.ToContract(e.PatientId, now))];
    }

    private List<IPatientEvent> Decide(string patientId, Observation observation)
    {
        var decisions = Patient(patientId).V2.Record(observation);
        var now = clock.GetUtcNow();
        return [.. decisions.Changes.Select(change => change.ToContract(patientId, now)), .. decisions.Ctcae.Select(change => change.ToContract(patientId, now)), .. decisions.Notices.Select(notice => notice.ToContract(patientId, now))];
    }

    /// <summary>§8.5 cut-over: every patient goes on under /2 from what /1 decided for it; /1 is not needed any more.</summary>
    private void Adopt(RuleSetAdopted adopted)
    {
        _adopted = adopted;
        foreach (var patient in _patients.Values)
        {
            patient.V2.ReviewsFrom = adopted.ObservedAt;
            if (patient.V1 is { } v1)
            {
                patient.V2.Adopt((int)v1.DecidedCrs, (int)v1.DecidedIcans, v1.History);
                patient.V1 = null;
            }
        }

        LogAdopted(logger, adopted.RuleSet, adopted.ObservedAt, _patients.Count, null);
    }

    private PatientRecord Patient(string patientId)
    {
        if (!_patients.TryGetValue(patientId, out var patient))
        {
            _patients[patientId] = patient = new PatientRecord(new PatientGradesV2(windows, _adopted?.ObservedAt));
        }

        return patient;
    }

    private sealed record BookState(RuleSetAdopted Adopted, List<PatientState> Patients);

    private sealed record PatientState(string Id, PatientGradesV2State Grades);

    /// <summary>A patient's timelines: rule set /2 always; the frozen /1 one only before the cut-over.</summary>
    private sealed class PatientRecord(PatientGradesV2 v2)
    {
        public PatientGradesV2 V2 { get; } = v2;

        public PatientGrades? V1 { get; set; }
    }
}
