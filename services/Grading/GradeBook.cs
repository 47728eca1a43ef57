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
/// <remarks>
/// Bounded (issue 16): each patient's timeline keeps only its correction horizon (C2-CMP-1); a patient with no event
/// for <see cref="GradingOptions.EvictAfter"/> is evicted from memory at the next snapshot into the snapshot store
/// (memory keeps its id and next review) and restored from there on its next event or query. A snapshot keeps each
/// patient's state compressed; a restore keeps them so (dormant) and rebuilds a patient's timeline on its first event
/// or query, so that a restart does not wait for every timeline.
/// </remarks>
internal sealed class GradeBook(
    EffectLedger ledger,
    GradingOptions options,
    TimeProvider clock,
    ILogger<GradeBook> logger,
    MessagingOptions messaging,
    SnapshotStore? store = null) : ISnapshotSink
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>The live rule set and the CTCAE rule set beside it.</summary>
    public static readonly (string Astct, string Ctcae) LiveRuleSet = (RuleSet.Astct2019v2.Id, RuleSet.Ctcae5CrsV2.Id);

    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, Exception?> LogUnknownTreatment = LoggerMessage.Define<Guid>(
        LogLevel.Warning, default, "Treatment {EventId} has a kind this version does not know; it does not affect grading");

    private static readonly Action<ILogger, string, DateTimeOffset, int, Exception?> LogAdopted = LoggerMessage.Define<string, DateTimeOffset, int>(
        LogLevel.Information, default, "Rule set {RuleSet} adopted from {AdoptedAt}: {PatientCount} patients go on under it");

    private static readonly Action<ILogger, int, int, Exception?> LogEvicted = LoggerMessage.Define<int, int>(
        LogLevel.Information, default, "{EvictedCount} patients without an event for a while evicted to the snapshot store; {InMemoryCount} in memory");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientRecord> _patients = new(StringComparer.Ordinal);
    // Evicted patients: in the snapshot store, with the next review the clock must make (C2-CLK-1).
    private readonly Dictionary<string, ReviewDue?> _evicted = new(StringComparer.Ordinal);
    // Restored from a snapshot and not needed since: each one's saved state, compressed, materialized on first use, so
    // that a restart does not wait for every patient's timeline to be rebuilt (and an idle patient stays small).
    private readonly Dictionary<string, PatientState> _dormant = new(StringComparer.Ordinal);
    private readonly GradingWindows windows = options.Windows;
    private readonly string _log = EventLogFollower.Identity(messaging);
    private RuleSetAdopted? _adopted;
    private long _offset = -1;

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
            _offset = entry.Offset;
            if (Known(entry.Event.PatientId) is { } touched)
            {
                touched.LastEventAt = entry.Event.RecordedAt;
            }

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
    public string SnapshotVersion => $"grading/2;{LiveRuleSet.Astct};{LiveRuleSet.Ctcae};{string.Join(',', windows.All().Select(w => $"{w.Name}={w.Value}"))}";

    /// <summary>Every patient's /2 grades and the cut-over; nothing before the cut-over (rule set /1 is folded from the log).</summary>
    public byte[]? SaveSnapshot()
    {
        lock (_gate)
        {
            if (_adopted is null)
            {
                return null;
            }

            Evict();
            return JsonSerializer.SerializeToUtf8Bytes(new BookState(
                _adopted,
                [.. _patients.Select(p => new PatientState(p.Key, Pack(p.Value.V2.Save()), p.Value.LastEventAt, p.Value.V2.NextReview)), .. _dormant.Values],
                [.. _evicted.Select(e => new EvictedState(e.Key, e.Value))]), SnapshotJson);
        }
    }

    public void RestoreSnapshot(ReadOnlySpan<byte> state)
    {
        var saved = JsonSerializer.Deserialize<BookState>(state, SnapshotJson) ?? throw new InvalidDataException("an empty grade book");
        lock (_gate)
        {
            ClearLocked();
            _adopted = saved.Adopted;
            foreach (var patient in saved.Patients)
            {
                _dormant[patient.Id] = patient;
            }

            foreach (var evicted in saved.Evicted)
            {
                _evicted[evicted.Id] = evicted.NextReview;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    /// <summary>How many patients are in memory, and how many evicted to the store.</summary>
    public (int InMemory, int Evicted) Population
    {
        get
        {
            lock (_gate)
            {
                return (_patients.Count + _dormant.Count, _evicted.Count);
            }
        }
    }

    private void ClearLocked()
    {
        _patients.Clear();
        _dormant.Clear();
        _evicted.Clear();
        _adopted = null;
    }

    // Patients with no event for EvictAfter go to the store (their state as of the last entry folded).
    private void Evict()
    {
        if (store is null)
        {
            return;
        }

        var before = clock.GetUtcNow() - options.EvictAfter;
        var idle = _patients.Where(p => p.Value.LastEventAt < before && p.Value.V1 is null).ToList();
        foreach (var (patientId, patient) in idle)
        {
            store.SavePatient(_log, patientId, _offset, JsonSerializer.SerializeToUtf8Bytes(patient.V2.Save(), SnapshotJson));
            _patients.Remove(patientId);
            _evicted[patientId] = patient.V2.NextReview;
        }

        var idleDormant = _dormant.Values.Where(d => d.LastEventAt < before).ToList();
        foreach (var dormant in idleDormant)
        {
            store.SavePatient(_log, dormant.Id, _offset, SnapshotStore.Decompress(dormant.Grades));
            _dormant.Remove(dormant.Id);
            _evicted[dormant.Id] = dormant.NextReview;
        }

        if (idle.Count + idleDormant.Count > 0)
        {
            LogEvicted(logger, idle.Count + idleDormant.Count, _patients.Count + _dormant.Count, null);
        }
    }

    /// <summary>The patient in memory, or restored from the store if evicted; null if unknown.</summary>
    private PatientRecord? Known(string patientId)
    {
        if (_patients.TryGetValue(patientId, out var patient))
        {
            return patient;
        }

        if (_dormant.Remove(patientId, out var dormant))
        {
            return _patients[patientId] = new PatientRecord(PatientGradesV2.Restore(Unpack(dormant.Grades, patientId), windows)) { LastEventAt = dormant.LastEventAt };
        }

        if (!_evicted.Remove(patientId) || store?.LoadPatient(_log, patientId) is not { } saved)
        {
            return null;
        }

        var grades = JsonSerializer.Deserialize<PatientGradesV2State>(saved.Content, SnapshotJson) ?? throw new InvalidDataException($"an empty patient {patientId}");
        return _patients[patientId] = new PatientRecord(PatientGradesV2.Restore(grades, windows)) { LastEventAt = clock.GetUtcNow() };
    }

    private static byte[] Pack(PatientGradesV2State grades) => SnapshotStore.Compress(JsonSerializer.SerializeToUtf8Bytes(grades, SnapshotJson));

    private static PatientGradesV2State Unpack(byte[] packed, string patientId) =>
        JsonSerializer.Deserialize<PatientGradesV2State>(SnapshotStore.Decompress(packed), SnapshotJson) ?? throw new InvalidDataException($"an empty patient {patientId}");

    /// <summary>A patient's grades, read under the lock by <paramref name="read"/>; null for an unknown patient.</summary>
    public T? Read<T>(string patientId, Func<PatientGradesV2, Func<Guid, bool>, T> read)
        where T : class
    {
        lock (_gate)
        {
            return Known(patientId) is { } patient ? read(patient.V2, id => !ledger.IsOwed(id)) : null;
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

            foreach (var (patientId, next) in _patients.Select(p => (p.Key, p.Value.V2.NextReview))
                .Concat(_dormant.Values.Select(d => (d.Id, d.NextReview))).Concat(_evicted.Select(e => (e.Key, e.Value))))
            {
                if (next is { } review && review.Due <= now && !ledger.IsPublished(ContractMapping.ReviewId(patientId, review)))
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
            return _adopted is not null && Known(patientId) is { } patient && patient.V2.NextReview is { } review
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
        if (Known(patientId) is not { } patient)
        {
            _patients[patientId] = patient = new PatientRecord(new PatientGradesV2(windows, _adopted?.ObservedAt)) { LastEventAt = clock.GetUtcNow() };
        }

        return patient;
    }

    private sealed record BookState(RuleSetAdopted Adopted, List<PatientState> Patients, List<EvictedState> Evicted);

    /// <summary>A patient as a snapshot keeps them: the /2 grades (<see cref="PatientGradesV2State"/> as compressed JSON), when their last event was, their next review.</summary>
    private sealed record PatientState(string Id, byte[] Grades, DateTimeOffset LastEventAt, ReviewDue? NextReview);

    private sealed record EvictedState(string Id, ReviewDue? NextReview);

    /// <summary>A patient's timelines: rule set /2 always; the frozen /1 one only before the cut-over.</summary>
    private sealed class PatientRecord(PatientGradesV2 v2)
    {
        public PatientGradesV2 V2 { get; } = v2;

        public PatientGrades? V1 { get; set; }

        /// <summary>When the patient's last event was recorded: after <see cref="GradingOptions.EvictAfter"/> without one, evicted.</summary>
        public DateTimeOffset LastEventAt { get; set; }
    }
}
