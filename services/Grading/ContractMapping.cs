using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string CrsGradeChangedEffect = "crs-grade-changed";
    public const string IcansGradeChangedEffect = "icans-grade-changed";

    /// <summary>The events Grading folds into a patient's timeline (and routes through its partitions).</summary>
    public static readonly Type[] Observations =
        [typeof(PatientAdmitted), typeof(PatientDetailsUpdated), typeof(VitalSignsRecorded), typeof(NeuroAssessmentRecorded), typeof(TreatmentAdministered)];

    /// <summary>
    /// The timeline observation an event is, or null for an event that is not an observation. Codes were validated by
    /// Ingestion; a code this version does not know (a newer producer) is read as "not reported", never as normal.
    /// </summary>
    public static Observation? ToObservation(IPatientEvent e) => e switch
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

    /// <summary>The event that publishes <paramref name="change"/>; its id is derived from the cause, so it is the same in every instance and after every restart.</summary>
    public static IPatientEvent ToContract(this GradeChange change, string patientId, DateTimeOffset now)
    {
        var result = change.Point.Result!;
        return change.Scale switch
        {
            GradeScale.Crs => new CrsGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, CrsGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: change.NewGrade,
                RuleSet: result.AstctCrs.RuleSet.Id,
                Criteria: [.. result.AstctCrs.Criteria.Select(c => c.Code)],
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                CtcaeGrade: (int?)result.CtcaeCrs.Grade,
                CtcaeRuleSet: result.CtcaeCrs.RuleSet.Id,
                CtcaeCriteria: [.. result.CtcaeCrs.Criteria.Select(c => c.Code)]),
            _ => new IcansGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, IcansGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: change.NewGrade,
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                RuleSet: result.AstctIcans.RuleSet.Id,
                Criteria: [.. result.AstctIcans.Criteria.Select(c => c.Code)]),
        };
    }

    private static TEnum? Code<TEnum>(string? code)
        where TEnum : struct, Enum =>
        code is not null && Enum.TryParse<TEnum>(code, ignoreCase: true, out var value)
            && JsonNamingPolicy.CamelCase.ConvertName(value.ToString()) == code ? value : null;
}
