using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;

namespace Toxicity.Grading.Tests.V2;

/// <summary>Builders for rule set /2 timelines: observations with fixed ids and clinical times from <see cref="Start"/>.</summary>
internal static class CoursesV2
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static int _next = 1000;

    public static Guid Id(int n) => new($"00000000-0000-4000-8000-{n:D12}");

    public static Guid NextId() => Id(Interlocked.Increment(ref _next));

    public static DateTimeOffset Hours(double h) => Start.AddHours(h);

    public static DateTimeOffset Minutes(double m) => Start.AddMinutes(m);

    public static PatientDetailsObservation Adult(double hours = 0) => new(Id(1), Hours(hours), 58, Died: false);

    public static PatientDetailsObservation Child(double age = 8) => new(Id(1), Hours(0), age, Died: false);

    /// <summary>A complete normal set of vital signs: 37.0 °C, not hypotensive, no vasopressor, no oxygen.</summary>
    public static VitalsObservation Normal(DateTimeOffset at) =>
        new(NextId(), at, TemperatureC: 37.0, Oxygen: OxygenSupport.None, Hypotensive: false, Vasopressors: new(0, false));

    public static VitalsObservation Temperature(DateTimeOffset at, double celsius) => new(NextId(), at, TemperatureC: celsius);

    public static VitalsObservation Vitals(DateTimeOffset at, double? celsius = null, bool? hypotensive = null, int? vasopressors = null,
        OxygenSupport? oxygen = null, double? flow = null, double? fio2 = null) =>
        new(NextId(), at, TemperatureC: celsius, Oxygen: oxygen, OxygenFlowLPerMin: flow, Fio2Percent: fio2, Hypotensive: hypotensive,
            Vasopressors: vasopressors is { } n ? new VasopressorsRunning(n, false) : null);

    public static NeuroObservation Neuro(DateTimeOffset at, int? ice = null, Consciousness? consciousness = null, Seizure? seizure = null,
        bool? sedated = null, int? capd = null) =>
        new(NextId(), at, IceScore: ice, CapdScore: capd, Consciousness: consciousness, Seizure: seizure, Sedated: sedated);

    public static TreatmentObservation Dose(DateTimeOffset at, double amount, string drug = "epcoritamab", string unit = "mg") =>
        new(NextId(), at, TreatmentKind.BispecificDose, drug, amount, unit);

    public static TreatmentObservation Given(DateTimeOffset at, TreatmentKind kind, string? drug = null) => new(NextId(), at, kind, drug);

    public static ReviewObservation Review(DateTimeOffset at, string kind = "test") => new(NextId(), at, kind);

    public static PatientGradesV2 Graded(params Observation[] observations) => Graded(GradingWindows.Default, observations);

    public static PatientGradesV2 Graded(GradingWindows windows, params Observation[] observations)
    {
        var grades = new PatientGradesV2(windows);
        foreach (var observation in observations)
        {
            grades.Record(observation);
        }

        return grades;
    }

    public static TimelinePointV2 Current(params Observation[] observations) => Graded(observations).Timeline.Current!;
}
