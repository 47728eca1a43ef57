using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>
/// What Mitigation knows of each patient, folded from the event log in log order: measures from the admission and
/// details, the treatment plan and its course (the next dose, re-anchored on the doses given and moved by restarts),
/// the grades last published, interruptions, and the advice already given. Advice is decided in the fold (so the same
/// advice, with the same derived id, after any restart) into the <see cref="EffectLedger"/>; the consumer of the cause
/// publishes it once. The clock's dose reviews are causes like any other: recorded once (<see cref="OwedReview"/>),
/// their advice decided when the fold reads them back. The fold is saved and restored with snapshots (issue 16): every
/// patient's record, with the course's restart row as its place in the regimen's restart table.
/// </summary>
internal sealed class MitigationBook(EffectLedger ledger, TimeProvider clock, MitigationOptions options) : ISnapshotSink
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientRecord> _patients = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TaskCompletionSource> _plansAwaited = [];

    public Jurisdiction Site => options.Site;

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var patient = Record(entry.Event.PatientId);
            switch (entry.Event)
            {
                case PatientAdmitted a:
                    patient.Measured(new PatientMeasures(a.WeightKg, a.BodySurfaceAreaM2, a.AgeYears));
                    break;
                case PatientDetailsUpdated d:
                    // Ingestion updates admitted patients only: an update is as good as the admission.
                    patient.Measured(new PatientMeasures(d.WeightKg, d.BodySurfaceAreaM2, d.AgeYears));
                    break;
                case TreatmentPlanned plan:
                    patient.Planned(plan);
                    if (_plansAwaited.Remove(plan.EventId, out var waiter))
                    {
                        waiter.SetResult();
                    }

                    break;
                case CrsGradeChanged c:
                    patient.Graded(GradeScale.Crs, c.NewGrade, c.ObservedAt);
                    Decide(c, MitigationAdvisor.OnGradeChanged(patient.Context(), GradeScale.Crs, c.PreviousGrade, c.NewGrade, c.Criteria));
                    break;
                case IcansGradeChanged i:
                    patient.Graded(GradeScale.Icans, i.NewGrade, i.ObservedAt);
                    Decide(i, MitigationAdvisor.OnGradeChanged(patient.Context(), GradeScale.Icans, i.PreviousGrade, i.NewGrade, i.Criteria));
                    break;
                case CtcaeCrsGradeChanged ctcae:
                    Decide(ctcae, MitigationAdvisor.OnCtcaeCrsChanged(patient.Context(), ctcae.PreviousGrade, ctcae.NewGrade, ctcae.Criteria));
                    break;
                case TreatmentAdministered t:
                    Decide(t, patient.Treated(t));
                    break;
                case DoseReviewed review:
                    ledger.Published(review);
                    Decide(review, patient.Reviewed(review));
                    break;
                case MitigationAdvised advised:
                    ledger.Published(advised);
                    patient.Advised.Add(advised);
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The fold's format, the regimen catalogue and the site's jurisdiction: a snapshot of other ones is not used.</summary>
    public string SnapshotVersion => MitigationSnapshot.Version(options.Site);

    /// <summary>Every patient's record, in the order the log first named them.</summary>
    public byte[]? SaveSnapshot()
    {
        lock (_gate)
        {
            return JsonSerializer.SerializeToUtf8Bytes(new BookState([.. _patients.Select(p => p.Value.Save(p.Key))]), SnapshotJson);
        }
    }

    public void RestoreSnapshot(ReadOnlySpan<byte> state)
    {
        var saved = JsonSerializer.Deserialize<BookState>(state, SnapshotJson) ?? throw new InvalidDataException("an empty mitigation book");
        lock (_gate)
        {
            _patients.Clear();
            foreach (var patient in saved.Patients)
            {
                _patients[patient.Id] = PatientRecord.Restore(options.Site, patient);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _patients.Clear();
        }
    }

    /// <summary>The dose reviews due by <paramref name="now"/> and not in the log yet, one per patient (the latest).</summary>
    public IReadOnlyList<DoseReviewed> DueReviews(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _patients.Select(p => p.Value.DueReview(p.Key, now, now)).OfType<DoseReviewed>().Where(r => !ledger.IsPublished(r.EventId))];
        }
    }

    /// <summary>The review <paramref name="reviewId"/> if it is still <paramref name="patientId"/>'s due one and not in the log; else null.</summary>
    public DoseReviewed? OwedReview(string patientId, Guid reviewId, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _patients.TryGetValue(patientId, out var patient) && patient.DueReview(patientId, now, now) is { } review
                && review.EventId == reviewId && !ledger.IsPublished(reviewId)
                ? review
                : null;
        }
    }

    /// <summary>Completes when <paramref name="patientId"/>'s plan event <paramref name="planEventId"/> has been folded (a PUT answers with what a GET then shows).</summary>
    public Task PlanFoldedAsync(string patientId, Guid planEventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_patients.TryGetValue(patientId, out var patient) && patient.Plan?.EventId == planEventId)
            {
                return Task.CompletedTask;
            }

            if (!_plansAwaited.TryGetValue(planEventId, out var waiter))
            {
                _plansAwaited[planEventId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A patient's record, read under the lock by <paramref name="read"/>; null for a patient with no event in the log.</summary>
    public T? Read<T>(string patientId, Func<PatientRecord, T?> read)
        where T : class
    {
        lock (_gate)
        {
            return _patients.TryGetValue(patientId, out var patient) ? read(patient) : null;
        }
    }

    private PatientRecord Record(string patientId)
    {
        if (!_patients.TryGetValue(patientId, out var patient))
        {
            _patients[patientId] = patient = new PatientRecord(options.Site);
        }

        return patient;
    }

    private void Decide(IPatientEvent cause, IReadOnlyList<Advice> advice) =>
        ledger.Folded(cause, advice.Count == 0 ? [] : [advice.ToContract(cause, clock.GetUtcNow())]);

    private sealed record BookState(List<PatientState> Patients);
}

/// <summary>One patient as Mitigation knows them. Mutated only by the fold, under the book's lock.</summary>
internal sealed class PatientRecord(Jurisdiction site)
{
    private CourseCalendar? _calendar;

    public PatientMeasures Measures { get; private set; } = new(null, null, null);

    public bool Admitted { get; private set; }

    public TreatmentPlanned? Plan { get; private set; }

    /// <summary>The course of the plan (null: no plan, a continuous infusion, or a regimen not on label at the site).</summary>
    public DoseCourse? Course { get; private set; }

    public CurrentGrades Grades { get; private set; } = CurrentGrades.None;

    public DateTimeOffset? InterruptedAt { get; private set; }

    public List<MitigationAdvised> Advised { get; } = [];

    public Regimen? Regimen => Plan is { } plan ? RegimenCatalogue.Find(plan.RegimenId) : null;

    /// <summary>The record as a snapshot keeps it (the calendar is not kept: it follows from the plan and the measures).</summary>
    public PatientState Save(string patientId) =>
        new(patientId, Measures, Admitted, Plan, Course is { } course ? CourseState.Of(course, Regimen!) : null, Grades, InterruptedAt, [.. Advised]);

    /// <summary>A record as <see cref="Save"/> kept it, at <paramref name="site"/>.</summary>
    public static PatientRecord Restore(Jurisdiction site, PatientState saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var patient = new PatientRecord(site)
        {
            Measures = saved.Measures,
            Admitted = saved.Admitted,
            Plan = saved.Plan,
            Grades = saved.Grades,
            InterruptedAt = saved.InterruptedAt,
        };
        if (saved.Course is { } course)
        {
            patient.Course = course.ToCourse(patient.Regimen ?? throw new InvalidDataException($"a course without a regimen of the catalogue for {saved.Id}"));
        }

        patient.Advised.AddRange(saved.Advised);
        return patient;
    }

    /// <summary>The plan's course calendar at the site, with the current measures (null without a course).</summary>
    public CourseCalendar? Calendar =>
        Course is null || Regimen is not { } regimen ? null : _calendar ??= new CourseCalendar(regimen, Plan!.Cycle1Day1, Measures, site);

    public PatientContext Context() => new(Regimen, Measures.WeightKg, Measures.BodySurfaceAreaM2, Measures.AgeYears, site);

    public void Measured(PatientMeasures measures)
    {
        Measures = measures;
        Admitted = true;
        _calendar = null; // amounts by weight or BSA follow the new measures
    }

    public void Planned(TreatmentPlanned plan)
    {
        Plan = plan;
        _calendar = null;
        Course = Regimen is { } regimen && CourseCalendar.HasCourse(regimen) && TreatmentPlanner.OnLabelAt(regimen, site)
            ? DoseCourse.Start(new CourseCalendar(regimen, plan.Cycle1Day1, Measures, site))
            : null;
    }

    public void Graded(GradeScale scale, int grade, DateTimeOffset at)
    {
        var was = scale == GradeScale.Crs ? Grades.Crs : Grades.Icans;
        DateTimeOffset? resolved = grade == 0 && was > 0 ? at : grade == 0 ? (scale == GradeScale.Crs ? Grades.CrsResolvedAt : Grades.IcansResolvedAt) : null;
        Grades = scale == GradeScale.Crs ? Grades with { Crs = grade, CrsResolvedAt = resolved } : Grades with { Icans = grade, IcansResolvedAt = resolved };
    }

    /// <summary>Folds a treatment record and returns the advice it calls for: an interruption, a restart, a dose given late that no review advised on.</summary>
    public IReadOnlyList<Advice> Treated(TreatmentAdministered treatment)
    {
        switch (treatment.Kind)
        {
            case "infusionInterrupted":
                InterruptedAt = treatment.ObservedAt;
                return MitigationAdvisor.OnInfusionInterrupted(Context());
            case "infusionRestarted" when InterruptedAt is { } interrupted:
                InterruptedAt = null;
                return MitigationAdvisor.OnInfusionRestarted(Context(), treatment.ObservedAt - interrupted);
            case "bispecificDose" when Course is { } course && Calendar is { } calendar && OfTheRegimen(treatment):
                var next = course.NextAt(calendar, treatment.ObservedAt);
                Course = course.Given(calendar, treatment.ObservedAt, treatment.Dose, treatment.EventId).Course;
                // Given late with no review before it (e.g. Mitigation was down, or the record is backdated): the label's
                // restart rows for the delay, after the fact, so they are never silent.
                return next is { Status: DoseStatus.Late, Last: { } last, SinceLastDose: { } since } && course.ReviewedThrough is null
                    ? MitigationAdvisor.OnDoseDelayed(Context(), last.Label, since)
                    : [];
            default:
                return [];
        }
    }

    /// <summary>Folds a review of the course (one recorded for its current state) and returns its advice.</summary>
    public IReadOnlyList<Advice> Reviewed(DoseReviewed review)
    {
        if (Course is not { } course || Calendar is not { } calendar || review.RegimenId != Plan!.RegimenId || review.LastDoseEventId != course.Last?.EventId)
        {
            return []; // a review of a course that has moved on (a dose or a new plan came first)
        }

        Course = course.Reviewed(calendar, review.ObservedAt);
        return Course.NextAt(calendar, review.ObservedAt) is { } next
            ? NextDoseAdvisor.OnReviewed(Context(), review.Kind, next, Grades, review.ObservedAt)
            : [];
    }

    /// <summary>The review of the course due by <paramref name="now"/> (the latest of those due), as the event that records it.</summary>
    public DoseReviewed? DueReview(string patientId, DateTimeOffset now, DateTimeOffset recordedAt)
    {
        if (Course is not { } course || Calendar is not { } calendar || course.DueReview(calendar, now) is not { } review
            || course.NextAt(calendar, review.At) is not { } next)
        {
            return null;
        }

        var anchor = course.Last?.EventId ?? Plan!.EventId;
        var id = EventIds.NameBased(EventIds.Namespace, $"dose-reviewed/{patientId}/{anchor:D}/{review.Kind}/{review.At.UtcDateTime:O}");
        var planned = next.Planned;
        var firstFull = planned.Role == DoseRole.Full && Enumerable.Range(0, next.Slot).All(s => calendar.At(s)!.Role != DoseRole.Full);
        return new DoseReviewed(id, patientId, review.At, recordedAt, review.Kind, Plan!.RegimenId, planned.Drug, planned.Label, planned.Cycle, planned.Day,
            next.Due, planned.Role == DoseRole.StepUp || firstFull, course.Last?.EventId, course.Last?.At);
    }

    private bool OfTheRegimen(TreatmentAdministered dose) =>
        dose.Drug is null || string.Equals(dose.Drug, Regimen!.Drug, StringComparison.OrdinalIgnoreCase);
}
