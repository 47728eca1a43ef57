using Toxicity.Grading.Timeline;
using Xunit;
using static Toxicity.Grading.Tests.Timeline.Trajectories;

namespace Toxicity.Grading.Tests.Timeline;

/// <summary>The grade changes decided over a patient's timeline (docs/grading-timeline.md), in arrival order.</summary>
public sealed class PatientGradesTests
{
    [Fact]
    public void A_CRS_course_gives_exactly_the_expected_changes_each_caused_by_its_observation()
    {
        var grades = new PatientGrades();
        var changes = CrsCourse().SelectMany(grades.Record).ToList();

        Assert.Equal(
            [(GradeScale.Crs, 0, 1, 4), (GradeScale.Crs, 1, 2, 6), (GradeScale.Crs, 2, 3, 7), (GradeScale.Crs, 3, 1, 9), (GradeScale.Crs, 1, 0, 11)],
            changes.Select(c => (c.Scale, c.PreviousGrade, c.NewGrade, CauseNumber(c))));
        Assert.Equal([1, 2, 3, 3, 0], changes.Select(c => c.EpisodeMaximumGrade));
        Assert.Contains(Criteria.CrsHypotensionOneVasopressor, changes[2].Point.Result!.AstctCrs.Criteria);
        Assert.Equal(
            [Criteria.CrsFeverMasked],
            changes[3].Point.Result!.AstctCrs.Criteria); // C-CRS-3: under treatment, nothing else
        Assert.Equal(CrsGrade.None, grades.DecidedCrs);
    }

    [Fact]
    public void An_ICE_course_from_10_to_5_to_2_and_back_gives_0_2_3_0()
    {
        var grades = new PatientGrades();
        var changes = IceCourse().SelectMany(grades.Record).ToList();

        Assert.Equal(
            [(GradeScale.Icans, 0, 2, 22), (GradeScale.Icans, 2, 3, 23), (GradeScale.Icans, 3, 0, 24)],
            changes.Select(c => (c.Scale, c.PreviousGrade, c.NewGrade, CauseNumber(c))));
        Assert.Equal([2, 3, 3], changes.Select(c => c.EpisodeMaximumGrade));
        Assert.Equal([Criteria.IcansIce[2]], changes[1].Point.Result!.AstctIcans.Criteria);
    }

    [Fact]
    public void A_duplicate_observation_changes_nothing_and_decides_nothing()
    {
        var grades = new PatientGrades();
        foreach (var observation in CrsCourse().Take(7))
        {
            grades.Record(observation);
        }

        var history = grades.History.Count;
        foreach (var observation in CrsCourse().Take(7))
        {
            Assert.Empty(grades.Record(observation with { }));
        }

        Assert.Equal(history, grades.History.Count);
        Assert.Equal(7, grades.Timeline.Points.Count);
        Assert.Equal(CrsGrade.Grade3, grades.DecidedCrs);
    }

    [Fact]
    public void A_late_observation_that_changes_the_current_grade_publishes_it_and_the_history_records_the_correction()
    {
        var grades = new PatientGrades();
        grades.Record(Adult());
        grades.Record(new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.5));                  // 1
        grades.Record(new VitalsObservation(Id(3), Hours(3), Hypotensive: false));                  // still 1
        // Arrives last, observed at 2 h: a vasopressor was running then and nothing has reported it stopped.
        var changes = grades.Record(new VitalsObservation(Id(4), Hours(2), Vasopressors: new(1, false)));

        var change = Assert.Single(changes);
        Assert.Equal((1, 3, Id(4)), (change.PreviousGrade, change.NewGrade, change.Cause.Id));
        var correction = Assert.Single(grades.History, h => h.Kind == GradeHistoryKind.Correction);
        Assert.Equal(new GradeHistoryEntry(GradeScale.Crs, GradeHistoryKind.Correction, Id(4), Hours(2), 1, 3), correction);
    }

    [Fact]
    public void A_late_observation_that_corrects_only_the_past_publishes_nothing_and_the_history_records_it()
    {
        var grades = new PatientGrades();
        grades.Record(Adult());
        grades.Record(new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.5, Hypotensive: false));
        grades.Record(new VitalsObservation(Id(3), Hours(3), Hypotensive: false, TemperatureC: 38.4));
        // Hypotension at 2 h, over by 3 h: the grade was 2 between them, and is 1 now as before.
        var changes = grades.Record(new VitalsObservation(Id(4), Hours(2), Hypotensive: true));

        Assert.Empty(changes);
        Assert.Equal(CrsGrade.Grade1, grades.DecidedCrs);
        var correction = Assert.Single(grades.History, h => h.Kind == GradeHistoryKind.Correction);
        Assert.Equal((Hours(2), (int?)1, (int?)2), (correction.At, correction.From, correction.To));
        Assert.Equal(CrsGrade.Grade2, grades.Timeline.Points.Single(p => p.Observation.Id == Id(4)).Crs);
    }

    [Fact]
    public void A_grade_that_cannot_be_determined_is_never_published()
    {
        var grades = new PatientGrades();
        // No temperature yet: CRS not gradable (C-CRS-2); no ICE yet: ICANS not gradable (C-ICANS-3).
        Assert.Empty(grades.Record(Adult()));
        Assert.Empty(grades.Record(new VitalsObservation(Id(2), Hours(1), Hypotensive: true)));
        Assert.Null(grades.Timeline.Current!.Crs);
        Assert.Null(grades.Timeline.Current!.Icans);
    }

    private static int CauseNumber(GradeChange change) => int.Parse(change.Cause.Id.ToString()[^12..], System.Globalization.CultureInfo.InvariantCulture);
}
