using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.Tests.Timeline;

/// <summary>Realistic patient courses used by the timeline tests: each observation with a fixed id and clinical time.</summary>
internal static class Trajectories
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public static Guid Id(int n) => new($"00000000-0000-4000-8000-{n:D12}");

    public static DateTimeOffset Hours(double h) => Start.AddHours(h);

    public static PatientDetailsObservation Adult(int n = 1, double hours = 0) => new(Id(n), Hours(hours), 58, Died: false);

    /// <summary>
    /// A CRS episode after a glofitamab dose: fever, antipyretic, hypotension on fluids, one vasopressor, tocilizumab,
    /// recovery, and the episode closing 72 h after the last finding. Expected ASTCT CRS changes: 0→1, 1→2, 2→3, 3→1, 1→0.
    /// </summary>
    public static IReadOnlyList<Observation> CrsCourse() =>
    [
        Adult(),
        new TreatmentObservation(Id(2), Hours(1), TreatmentKind.BispecificDose),
        new VitalsObservation(Id(3), Hours(2), TemperatureC: 37.0, Oxygen: OxygenSupport.None, Hypotensive: false, Vasopressors: new(0, false)),
        new VitalsObservation(Id(4), Hours(8), TemperatureC: 38.9),                                     // fever: 1
        new TreatmentObservation(Id(5), Hours(8.5), TreatmentKind.Antipyretic),                          // masks fever
        new VitalsObservation(Id(6), Hours(10), TemperatureC: 37.6, Hypotensive: true),                  // fluids: 2
        new VitalsObservation(Id(7), Hours(12), Vasopressors: new(1, false)),                            // one pressor: 3
        new TreatmentObservation(Id(8), Hours(12.5), TreatmentKind.Tocilizumab),
        new VitalsObservation(Id(9), Hours(30), TemperatureC: 36.8, Hypotensive: false, Vasopressors: new(0, false)), // masked: 1
        new VitalsObservation(Id(10), Hours(60), TemperatureC: 36.9),                                    // 30 h later: still 1
        new VitalsObservation(Id(11), Hours(102), TemperatureC: 36.7),                                   // 72 h after the last finding: 0
    ];

    /// <summary>An ICE falling from 10 to 5 to 2 and back to 10. Expected ICANS changes: 0→2, 2→3, 3→0 (10 is grade 0, the start).</summary>
    public static IReadOnlyList<Observation> IceCourse() =>
    [
        Adult(20),
        new NeuroObservation(Id(21), Hours(1), IceScore: 10, Consciousness: Consciousness.AwakensSpontaneously),
        new NeuroObservation(Id(22), Hours(5), IceScore: 5),
        new NeuroObservation(Id(23), Hours(9), IceScore: 2),
        new NeuroObservation(Id(24), Hours(30), IceScore: 10),
    ];
}
