using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Xunit;
using static Toxicity.Grading.Tests.V2.CoursesV2;

namespace Toxicity.Grading.Tests.V2;

/// <summary>What rule set /2 publishes (CLINICAL-RULES.md §8.1 publication, C2-LB-0, C2-OD-1, C2-CLK-1, §8.5 cut-over).</summary>
public sealed class PatientGradesV2Tests
{
    [Fact]
    public void The_premedicated_step_up_patient_on_norepinephrine_gets_CRS_0_to_3_once_provisional()
    {
        var grades = Graded(Adult(), Given(Hours(0), TreatmentKind.Premedication, "dexamethasone"), Dose(Hours(1), 0.16), Normal(Hours(1)));
        var norepinephrine = Vitals(Hours(9), 37.2, vasopressors: 1, oxygen: OxygenSupport.None);

        var decided = grades.Record(norepinephrine);
        var again = grades.Record(norepinephrine);

        var change = Assert.Single(decided.Changes);
        Assert.Equal((GradeScale.Crs, 0, 3, true, false), (change.Scale, change.PreviousGrade, change.Grade.Grade, change.Grade.Provisional, change.Grade.LowerBound));
        Assert.Contains(Criteria.CrsPossibleMaskedFever, change.Point.Result!.AstctCrs.Criteria);
        Assert.Same(GradingDecisions.None, again);
    }

    [Fact]
    public void A_CTCAE_change_without_an_ASTCT_change_is_published_on_its_own_the_blinatumomab_FiO2_case()
    {
        // Fever on 5 L/min low-flow oxygen: ASTCT 2 and CTCAE 2; FiO₂ rising to 40 % on the same flow: ASTCT stays 2,
        // CTCAE becomes 3 ("hypoxia requiring FiO₂ ≥ 40 %").
        var grades = Graded(Adult(), Vitals(Hours(1), 38.6, hypotensive: false, vasopressors: 0, oxygen: OxygenSupport.LowFlowNasalCannula, flow: 5, fio2: 32));
        Assert.Equal((2, 2), (grades.DecidedCrs, grades.Timeline.Current!.Result!.CtcaeCrs.Grade is { } g ? (int)g : -1));

        var decided = grades.Record(Vitals(Hours(2), 38.6, hypotensive: false, vasopressors: 0, oxygen: OxygenSupport.LowFlowNasalCannula, flow: 5, fio2: 40));
        var again = grades.Record(Vitals(Hours(3), 38.6, hypotensive: false, vasopressors: 0, oxygen: OxygenSupport.LowFlowNasalCannula, flow: 5, fio2: 40));

        Assert.Empty(decided.Changes);
        var ctcae = Assert.Single(decided.Ctcae);
        Assert.Equal((2, 3, false), (ctcae.PreviousGrade, ctcae.Grade, ctcae.LowerBound));
        Assert.Empty(again.Ctcae);
    }

    [Fact]
    public void A_CTCAE_rise_with_an_ASTCT_rise_is_published_beside_it_and_stale_readings_never_lower_it()
    {
        var grades = Graded(Adult());

        var first = grades.Record(Vitals(Hours(1), 38.6, hypotensive: false, vasopressors: 0, oxygen: OxygenSupport.None));
        var stale = grades.Record(Review(Hours(40)));

        Assert.Equal((0, 1), (Assert.Single(first.Changes).PreviousGrade, Assert.Single(first.Ctcae).Grade));
        Assert.Empty(stale.Ctcae);
    }

    [Fact]
    public void Awakens_to_voice_without_ICE_publishes_ICANS_0_to_2_as_a_lower_bound()
    {
        var decided = Graded(Adult()).Record(Neuro(Hours(1), consciousness: Consciousness.AwakensToVoice));

        var change = Assert.Single(decided.Changes);
        Assert.Equal((GradeScale.Icans, 0, 2, true), (change.Scale, change.PreviousGrade, change.Grade.Grade, change.Grade.LowerBound));
    }

    [Fact]
    public void A_lower_bound_becoming_exact_at_the_same_number_is_recorded_not_published()
    {
        var grades = Graded(Adult(), Neuro(Hours(1), consciousness: Consciousness.AwakensToVoice));

        var decided = grades.Record(Neuro(Hours(2), 5));

        Assert.Empty(decided.Changes);
        var refinement = grades.History[^1];
        Assert.Equal((GradeHistoryKind.Refinement, 2, 2, false), (refinement.Kind, refinement.From, refinement.To, refinement.LowerBound));
    }

    [Fact]
    public void A_lower_bound_becoming_exact_at_a_higher_number_is_published()
    {
        var grades = Graded(Adult(), Neuro(Hours(1), consciousness: Consciousness.AwakensToVoice));

        var change = Assert.Single(grades.Record(Neuro(Hours(2), 1)).Changes);

        Assert.Equal((2, 3, false), (change.PreviousGrade, change.Grade.Grade, change.Grade.LowerBound));
    }

    [Fact]
    public void C2_LB_0_a_lower_bound_of_0_is_never_published()
    {
        var grades = Graded(Adult(), Neuro(Hours(1), 8, Consciousness.AwakensToVoice), Neuro(Hours(2), 10, Consciousness.Alert));

        var decided = grades.Record(Neuro(Hours(30), consciousness: Consciousness.Alert)); // ICE stale: "not assessed", not 0

        Assert.Empty(decided.Changes);
        Assert.Equal(0, grades.DecidedIcans);
        Assert.True(grades.Timeline.Current!.Icans!.NotAssessed);
    }

    [Fact]
    public void A_provisional_grade_confirmed_at_the_same_number_is_published()
    {
        var grades = Graded(Adult(), Given(Hours(0), TreatmentKind.Premedication, "dexamethasone"), Dose(Hours(1), 0.16),
            Vitals(Hours(9), 37.2, vasopressors: 1, oxygen: OxygenSupport.None));

        var change = Assert.Single(grades.Record(Vitals(Hours(10), 38.7, vasopressors: 1, oxygen: OxygenSupport.None)).Changes);

        Assert.Equal((3, 3, false), (change.PreviousGrade, change.Grade.Grade, change.Grade.Provisional));
    }

    [Fact]
    public void C2_OD_1_one_notice_per_stale_reading_the_next_tier_2_h_later_and_cleared_when_the_reading_arrives()
    {
        var grades = Graded(Adult(), Dose(Hours(0), 0.16), Normal(Hours(0)), Neuro(Hours(0), 10, Consciousness.Alert));
        Assert.Equal(new ReviewDue("hypotensive-stale+temperature-due", Hours(6)), grades.NextReview);

        var stale = grades.Record(Review(Hours(6), grades.NextReview!.Kind));
        Assert.Equal(new ReviewDue("temperature-overdue-next-tier", Hours(8)), grades.NextReview);
        var still = grades.Record(Review(Hours(8), grades.NextReview!.Kind));
        var again = grades.Record(Review(Hours(9)));
        var cleared = grades.Record(Temperature(Hours(9.5), 37.1));

        Assert.Equal([(ReadingKind.Temperature, OverdueStatus.Overdue, Hours(6))], stale.Notices.Select(n => (n.Reading, n.Status, n.Since)));
        Assert.Empty(stale.Changes); // grades kept, never lowered by staleness
        Assert.Equal([(ReadingKind.Temperature, OverdueStatus.StillOverdue)], still.Notices.Select(n => (n.Reading, n.Status)));
        Assert.Empty(again.Notices);
        Assert.Equal([(ReadingKind.Temperature, OverdueStatus.Cleared)], cleared.Notices.Select(n => (n.Reading, n.Status)));
        Assert.Empty(grades.Overdue);
    }

    [Fact]
    public void C2_OD_1_outside_a_risk_window_or_episode_nothing_is_owed_and_no_review_is_due()
    {
        var grades = Graded(Adult(), Normal(Hours(0)), Neuro(Hours(0), 10, Consciousness.Alert));

        Assert.Null(grades.NextReview);
        Assert.Empty(grades.Record(Review(Hours(30))).Notices);
    }

    [Fact]
    public void C2_OD_1_the_end_of_the_risk_window_clears_what_is_owed()
    {
        var grades = Graded(Adult(), Dose(Hours(-200), 48), Dose(Hours(0), 48), Normal(Hours(0)), Neuro(Hours(0), 10, Consciousness.Alert));

        var reviews = RunClock(grades, Hours(1000));

        Assert.Equal(
            [("hypotensive-stale+temperature-due", Hours(6)), ("temperature-overdue-next-tier", Hours(8)), ("consciousness-due+neuro-score-due", Hours(14)),
             ("consciousness-overdue-next-tier+neuro-score-overdue-next-tier", Hours(16)), ("oxygen-due+vasopressors-due", Hours(24)),
             ("oxygen-overdue-next-tier+vasopressors-overdue-next-tier", Hours(26)), ("risk-window-ends", Hours(72))],
            reviews.Select(r => (r.Review.Kind, r.Review.Due)));
        Assert.Equal(
            [ReadingKind.Temperature, ReadingKind.Oxygen, ReadingKind.Vasopressors, ReadingKind.NeuroScore, ReadingKind.Consciousness],
            reviews[^1].Decisions.Notices.Where(n => n.Status == OverdueStatus.Cleared).Select(n => n.Reading));
        Assert.Null(grades.NextReview);
    }

    /// <summary>Records every review the timeline makes due, in order, up to <paramref name="until"/>, as Grading's clock does.</summary>
    private static List<(ReviewDue Review, GradingDecisions Decisions)> RunClock(PatientGradesV2 grades, DateTimeOffset until)
    {
        var made = new List<(ReviewDue, GradingDecisions)>();
        while (grades.NextReview is { } due && due.Due <= until)
        {
            made.Add((due, grades.Record(Review(due.Due, due.Kind))));
        }

        return made;
    }

    [Fact]
    public void C2_CLK_1_the_clock_closes_an_episode_with_one_grade_change_and_no_new_observation()
    {
        var grades = Graded(
            Adult(), Temperature(Hours(1), 38.6), Given(Hours(2), TreatmentKind.Tocilizumab, "tocilizumab"), Normal(Hours(3)),
            Neuro(Hours(3), 10, Consciousness.Alert), Normal(Hours(60)), Neuro(Hours(60), 10, Consciousness.Alert), Normal(Hours(72)),
            Neuro(Hours(72), 10, Consciousness.Alert));
        Assert.Equal(1, grades.DecidedCrs);
        Assert.Equal(new ReviewDue("episode-closure", Hours(74)), grades.NextReview); // the fever at 1 h was still current at 2 h

        var review = Review(Hours(74), grades.NextReview!.Kind);
        var closed = grades.Record(review);

        var change = Assert.Single(closed.Changes);
        Assert.Equal((GradeScale.Crs, 1, 0, review.Id), (change.Scale, change.PreviousGrade, change.Grade.Grade, change.Cause.Id));
        Assert.Equal(Hours(74), Assert.Single(grades.Closures).ClosedAt);
    }

    [Fact]
    public void C2_CLK_1_no_closure_review_is_due_while_the_readings_would_be_stale_at_its_time()
    {
        var grades = Graded(Adult(), Temperature(Hours(1), 38.6), Given(Hours(2), TreatmentKind.Tocilizumab, "tocilizumab"), Normal(Hours(3)),
            Neuro(Hours(3), 10, Consciousness.Alert), Normal(Hours(50)));

        Assert.NotEqual("episode-closure", grades.NextReview?.Kind);
    }

    [Fact]
    public void C2_CLK_1_reviews_due_before_the_cut_over_are_never_made()
    {
        var grades = new PatientGradesV2(GradingWindows.Default, reviewsFrom: Hours(100));
        foreach (var observation in new Observation[] { Adult(), Dose(Hours(0), 0.16), Normal(Hours(0)) })
        {
            grades.Record(observation);
        }

        Assert.True(grades.NextReview is null || grades.NextReview.Due >= Hours(100));
    }

    [Fact]
    public void C2_CLK_1_the_same_observations_in_any_order_give_the_same_next_review_and_decisions()
    {
        Observation[] course = [Adult(), Dose(Hours(0), 0.16), Normal(Hours(0)), Neuro(Hours(0), 9, Consciousness.Alert), Temperature(Hours(3), 38.3)];

        var forward = Graded(course);
        var backward = Graded([.. course.Reverse()]);

        Assert.Equal(forward.NextReview, backward.NextReview);
        Assert.Equal(forward.Timeline.Current!.Crs, backward.Timeline.Current!.Crs);
        Assert.Equal(forward.Timeline.Current!.Icans, backward.Timeline.Current!.Icans);
    }

    [Fact]
    public void A_late_observation_before_a_review_corrects_it_and_clears_the_notice()
    {
        var grades = Graded(Adult(), Dose(Hours(0), 0.16), Normal(Hours(0)), Neuro(Hours(0), 10, Consciousness.Alert));
        grades.Record(Review(Hours(6)));

        var late = grades.Record(Temperature(Hours(5), 37.2));

        Assert.Equal([(ReadingKind.Temperature, OverdueStatus.Cleared)], late.Notices.Select(n => (n.Reading, n.Status)));
    }

    [Fact]
    public void Cut_over_replayed_points_decide_nothing_and_the_first_decision_starts_from_what_was_published()
    {
        var grades = new PatientGradesV2(GradingWindows.Default);
        grades.Replay(Adult());
        grades.Replay(Neuro(Hours(1), 10, Consciousness.AwakensToVoice));
        grades.Adopt(crs: 0, icans: 2, history: []);

        var decided = grades.Record(Neuro(Hours(2), 10, Consciousness.AwakensToVoice));

        Assert.Empty(decided.Changes); // still 2: nothing re-published
        Assert.Equal(2, grades.DecidedIcans);
    }
}
