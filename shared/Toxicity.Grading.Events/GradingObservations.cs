using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.Events;

/// <summary>The recorded events the grading timeline reads, and how each becomes an observation.</summary>
public static class GradingObservations
{
    /// <summary>The events Grading folds into a patient's timeline (and routes through its partitions).</summary>
    public static IReadOnlyList<Type> EventTypes { get; } =
        [typeof(PatientAdmitted), typeof(PatientDetailsUpdated), typeof(VitalSignsRecorded), typeof(NeuroAssessmentRecorded), typeof(TreatmentAdministered)];

    /// <summary>
    /// The timeline observation an event is, or null for an event that is not an observation. Codes were validated by
    /// Ingestion; a code this version does not know (a newer producer) is read as "not reported", never as normal.
    /// </summary>
    public static Observation? From(IPatientEvent e) => e switch
    {
        VitalSignsRecorded v => new VitalsObservation(
            v.EventId,
            v.ObservedAt,
            v.TemperatureC,
            Code<OxygenSupport>(v.OxygenDevice),
            v.OxygenFlowLPerMin,
            v.Fio2Percent,
            v.Hypotensive,
            v.Vasopressors is { } running ? new VasopressorsRunning(running.Count, running.Any(p => p.IsVasopressin)) : null),
        NeuroAssessmentRecorded n => new NeuroObservation(
            n.EventId,
            n.ObservedAt,
            n.IceScore,
            n.CapdScore,
            Code<Consciousness>(n.Consciousness),
            Code<Seizure>(n.Seizure),
            Code<MotorFinding>(n.Motor),
            Code<CerebralEdema>(n.CerebralEdema)),
        TreatmentAdministered t when Code<TreatmentKind>(t.Kind) is { } kind => new TreatmentObservation(t.EventId, t.ObservedAt, kind),
        PatientAdmitted a => new PatientDetailsObservation(a.EventId, a.ObservedAt, a.AgeYears, a.DiedAt is not null),
        PatientDetailsUpdated d => new PatientDetailsObservation(d.EventId, d.ObservedAt, d.AgeYears, d.DiedAt is not null),
        _ => null,
    };

    private static TEnum? Code<TEnum>(string? code)
        where TEnum : struct, Enum =>
        code is not null && Enum.TryParse<TEnum>(code, ignoreCase: true, out var value)
            && JsonNamingPolicy.CamelCase.ConvertName(value.ToString()) == code ? value : null;
}
