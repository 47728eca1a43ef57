using BenchmarkDotNet.Attributes;
using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.Benchmarks;

/// <summary>
/// Recording observations on a patient's timeline (docs/grading-timeline.md): what the Grading service does for
/// every event it folds from the log. A course of <see cref="Observations"/> vital signs, each recorded in clinical
/// order (the usual case: append and grade one point) or in reverse order (the worst case: every observation is
/// late and re-grades every point after it). Per operation: the whole course.
/// </summary>
[MemoryDiagnoser]
public class TimelineBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private Observation[] _inOrder = [];
    private Observation[] _reversed = [];

    [Params(100)]
    public int Observations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var course = new List<Observation> { new PatientDetailsObservation(Guid.NewGuid(), Start, 58, false) };
        for (var i = 1; i < Observations; i++)
        {
            course.Add(new VitalsObservation(Guid.NewGuid(), Start.AddMinutes(30 * i), TemperatureC: 37.5 + (i % 5 * 0.4), Hypotensive: i % 7 == 0));
        }

        _inOrder = [.. course];
        _reversed = [course[0], .. course.Skip(1).Reverse()];
    }

    [Benchmark(Baseline = true)]
    public CrsGrade InClinicalOrder() => Record(_inOrder);

    [Benchmark]
    public CrsGrade AllLate() => Record(_reversed);

    private static CrsGrade Record(Observation[] course)
    {
        var grades = new PatientGrades();
        foreach (var observation in course)
        {
            grades.Record(observation);
        }

        return grades.DecidedCrs;
    }
}
