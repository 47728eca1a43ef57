using Toxicity.Contracts;
using Toxicity.Contracts.V1;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>
/// What a ward sends for <see cref="Patients"/> patients over <see cref="Days"/> days that end now: each patient admitted,
/// then a complete set of vital signs every hour (afebrile, normotensive, <c>hypotensive: false</c>, no vasopressor, no
/// oxygen) and a neurological assessment every 12 hours (ICE 10, alert), in clinical order across the ward. No dose is
/// recorded and nobody has CRS or ICANS, so every fold takes its ordinary path: no grade change, alert, advice or
/// overdue notice (those need a risk window or an episode, CLINICAL-RULES.md C2-OD-1).
/// </summary>
internal sealed class WardLog(string name, int patients, int days, DateTimeOffset end)
{
    private const int NeuroEveryHours = 12;

    public string Name { get; } = name;

    public int Patients { get; } = patients;

    public int Days { get; } = days;

    private int Hours => Days * 24;

    /// <summary>The admission, the hourly vital signs and the assessments every 12 hours of one patient.</summary>
    public static int EventsPerPatient(int days) => 1 + (days * 24) + ((days * 24) + NeuroEveryHours - 1) / NeuroEveryHours;

    public long Events => (long)Patients * EventsPerPatient(Days);

    /// <summary>
    /// The events of the patients that publisher <paramref name="publisher"/> of <paramref name="publishers"/> sends, hour by
    /// hour across its patients: a patient's events always go through one publisher, in their clinical order.
    /// </summary>
    public IEnumerable<IPatientEvent> EventsOf(int publisher, int publishers)
    {
        var start = end.AddHours(-Hours);
        var mine = Enumerable.Range(0, Patients).Where(p => p % publishers == publisher).ToArray();
        for (var hour = 0; hour < Hours; hour++)
        {
            foreach (var p in mine)
            {
                var patient = $"{Name}-{p:D6}";
                // Each patient is seen at a minute of its own, so the ward's observations spread over the hour.
                var at = start.AddHours(hour).AddMinutes(p % 60);
                if (hour == 0)
                {
                    yield return new PatientAdmitted(Guid.CreateVersion7(at.AddMinutes(-30)), patient, at.AddMinutes(-30), at.AddMinutes(-28),
                        AgeYears: 40 + (p % 40), WeightKg: 60 + (p % 30), HeightCm: 160 + (p % 30), BodySurfaceAreaM2: 1.7 + (p % 5 * 0.05),
                        Diagnosis: "DLBCL", Ward: $"haem-{p % 20:D2}", DiedAt: null);
                }

                var jitter = (p * 31 + hour * 7) % 10;
                yield return new VitalSignsRecorded(Guid.CreateVersion7(at), patient, at, at.AddMinutes(2),
                    TemperatureC: 36.4 + (jitter * 0.1), HeartRatePerMin: 70 + jitter * 2, RespiratoryRatePerMin: 14 + (jitter % 5),
                    SystolicMmHg: 110 + jitter * 2, DiastolicMmHg: 70 + jitter, SpO2Percent: 96 + (jitter % 4),
                    OxygenDevice: "none", Hypotensive: false, FluidBolusGiven: false, Vasopressors: []);
                if (hour % NeuroEveryHours == 0)
                {
                    var assessed = at.AddMinutes(5);
                    yield return new NeuroAssessmentRecorded(Guid.CreateVersion7(assessed), patient, assessed, assessed.AddMinutes(2),
                        IceScore: 10, CapdScore: null, Consciousness: "alert", Seizure: "none", Motor: "none", CerebralEdema: "none", Sedated: false);
                }
            }
        }
    }
}
