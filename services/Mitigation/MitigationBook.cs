using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>
/// What Mitigation knows of each patient, folded from the event log in log order: measures from the admission and
/// details, the treatment plan, bispecific doses and interruptions, and the advice already given. Advice is decided
/// in the fold (so the same advice, with the same derived id, after any restart) into the <see cref="EffectLedger"/>;
/// the consumer of the cause publishes it once.
/// </summary>
internal sealed class MitigationBook(EffectLedger ledger, TimeProvider clock) : IEventLogSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PatientRecord> _patients = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TaskCompletionSource> _plansAwaited = [];

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var patient = Record(entry.Event.PatientId);
            switch (entry.Event)
            {
                case PatientAdmitted a:
                    patient.Measures = new PatientMeasures(a.WeightKg, a.BodySurfaceAreaM2, a.AgeYears);
                    patient.Admitted = true;
                    break;
                case PatientDetailsUpdated d:
                    // Ingestion updates admitted patients only: an update is as good as the admission.
                    patient.Measures = new PatientMeasures(d.WeightKg, d.BodySurfaceAreaM2, d.AgeYears);
                    patient.Admitted = true;
                    break;
                case TreatmentPlanned plan:
                    patient.Plan = plan;
                    if (_plansAwaited.Remove(plan.EventId, out var waiter))
                    {
                        waiter.SetResult();
                    }

                    break;
                case CrsGradeChanged c:
                    Decide(c, MitigationAdvisor.OnGradeChanged(patient.Context(), GradeScale.Crs, c.PreviousGrade, c.NewGrade, c.Criteria));
                    break;
                case IcansGradeChanged i:
                    Decide(i, MitigationAdvisor.OnGradeChanged(patient.Context(), GradeScale.Icans, i.PreviousGrade, i.NewGrade, i.Criteria));
                    break;
                case TreatmentAdministered t:
                    Decide(t, patient.Treated(t));
                    break;
                case MitigationAdvised advised:
                    ledger.Published(advised);
                    patient.Advised.Add(advised);
                    break;
            }
        }

        return ValueTask.CompletedTask;
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
            _patients[patientId] = patient = new PatientRecord();
        }

        return patient;
    }

    private void Decide(IPatientEvent cause, IReadOnlyList<Advice> advice) =>
        ledger.Folded(cause, advice.Count == 0 ? [] : [advice.ToContract(cause, clock.GetUtcNow())]);
}

/// <summary>One patient as Mitigation knows them. Mutated only by the fold, under the book's lock.</summary>
internal sealed class PatientRecord
{
    public PatientMeasures Measures { get; set; } = new(null, null, null);

    public bool Admitted { get; set; }

    public TreatmentPlanned? Plan { get; set; }

    public TreatmentAdministered? LastBispecificDose { get; private set; }

    public DateTimeOffset? InterruptedAt { get; private set; }

    public List<MitigationAdvised> Advised { get; } = [];

    public Regimen? Regimen => Plan is { } plan ? RegimenCatalogue.Find(plan.RegimenId) : null;

    public PatientContext Context() => new(Regimen, Measures.WeightKg, Measures.BodySurfaceAreaM2, Measures.AgeYears);

    /// <summary>Folds a treatment record and returns the advice it calls for: an interruption, a restart, a dose given late.</summary>
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
            case "bispecificDose":
                var advice = DelayAdvice(treatment);
                LastBispecificDose = treatment;
                return advice;
            default:
                return [];
        }
    }

    /// <summary>
    /// A bispecific dose given later than the plan's next dose after the last one given: the label's delay rules for
    /// the last dose given. The last dose is matched to the plan by amount (the first planned dose of that amount on
    /// or after its date).
    /// </summary>
    private IReadOnlyList<Advice> DelayAdvice(TreatmentAdministered dose)
    {
        if (LastBispecificDose is not { Dose: { } lastAmount } last || Plan is not { } plan || Regimen is not { } regimen)
        {
            return [];
        }

        var lastDate = DateOnly.FromDateTime(last.ObservedAt.UtcDateTime);
        // Cycles through the one after the last dose's: its next planned dose may open the following cycle.
        var cycles = TreatmentPlanner.CyclesThrough(regimen, plan.Cycle1Day1, lastDate) + 1;
        var calendar = TreatmentPlanner.Plan(regimen, plan.Cycle1Day1, Measures, cycles).Doses
            .Where(d => d.Role != DoseRole.Pretreatment).ToList();
        var index = calendar.FindIndex(d => d.Date >= lastDate && d.Amount is { } a && Math.Abs(a - lastAmount) < 1e-9);
        if (index < 0 || index + 1 >= calendar.Count)
        {
            return [];
        }

        var due = calendar[index + 1].Date;
        var given = DateOnly.FromDateTime(dose.ObservedAt.UtcDateTime);
        return given > due ? MitigationAdvisor.OnDoseDelayed(Context(), calendar[index].Label, dose.ObservedAt - last.ObservedAt) : [];
    }
}
