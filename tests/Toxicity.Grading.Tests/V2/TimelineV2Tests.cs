using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Xunit;
using static Toxicity.Grading.Tests.V2.CoursesV2;

namespace Toxicity.Grading.Tests.V2;

/// <summary>
/// The timeline of rule set astct-2019/2 (CLINICAL-RULES.md §8.2-§8.4), one test or theory per rule id, each window
/// at its edges. Times are hours after <see cref="CoursesV2.Start"/>.
/// </summary>
public sealed class TimelineV2Tests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // §8.2 validity windows ------------------------------------------------------------------------------------------

    [Fact]
    public void Validity_a_temperature_counts_for_6_h_and_is_stale_at_6_h()
    {
        Observation[] course = [Adult(), Dose(Hours(0), 0.16), Normal(Hours(1)), Temperature(Hours(2), 38.4)];

        var before = Current([.. course, Review(Hours(8) - Minute)]);
        var at = Current([.. course, Review(Hours(8))]);

        Assert.Contains(Criteria.CrsFever, before.Result!.AstctCrs.Criteria);
        Assert.DoesNotContain(Criteria.CrsFever, at.Result!.AstctCrs.Criteria);
        Assert.Contains(at.Overdue, o => o is { Reading: ReadingKind.Temperature, Reason: OverdueReason.Stale } && o.Since == Hours(8));
        Assert.DoesNotContain(before.Overdue, o => o.Reading == ReadingKind.Temperature);
    }

    [Fact]
    public void Validity_the_bedside_hypotension_judgement_counts_for_6_h()
    {
        Observation[] course = [Adult(), Dose(Hours(0), 0.16), Temperature(Hours(1), 38.5), Vitals(Hours(1), hypotensive: true, oxygen: OxygenSupport.None)];

        var before = Current([.. course, Temperature(Hours(7) - Minute, 38.5)]);
        var at = Current([.. course, Temperature(Hours(7), 38.5)]);

        Assert.Equal((2, false), (before.Crs!.Grade, before.Result!.AstctCrs.LowerBound));
        // Unknown again at 6 h: the result is a lower bound of 1, and the 2 shown is kept, never lowered by staleness.
        Assert.Equal((CrsGrade.Grade1, true), (at.Result!.AstctCrs.Grade, at.Result.AstctCrs.LowerBound));
        Assert.Equal((2, true), (at.Crs!.Grade, at.Crs.Stale));
    }

    [Fact]
    public void Validity_an_oxygen_device_and_vasopressors_hold_until_reported_otherwise_and_are_flagged_after_24_h_unconfirmed()
    {
        Observation[] course =
        [
            Adult(), Dose(Hours(0), 0.16), Temperature(Hours(1), 38.5),
            Vitals(Hours(1), vasopressors: 1, oxygen: OxygenSupport.LowFlowNasalCannula),
            Temperature(Hours(20), 38.5), Temperature(Hours(24.5), 38.2),
        ];

        var before = Current([.. course, Review(Hours(25) - Minute)]);
        var at = Current([.. course, Review(Hours(25))]);

        Assert.Equal(CrsGrade.Grade3, before.Result!.AstctCrs.Grade);
        Assert.Equal(CrsGrade.Grade3, at.Result!.AstctCrs.Grade); // still used for the grade
        Assert.DoesNotContain(before.Overdue, o => o.Reason == OverdueReason.Unconfirmed);
        Assert.Equal([ReadingKind.Oxygen, ReadingKind.Vasopressors],
            at.Overdue.Where(o => o.Reason == OverdueReason.Unconfirmed).Select(o => o.Reading));
    }

    [Theory]
    [InlineData(10, 14)]
    [InlineData(8, 10)]
    public void Validity_ICE_and_consciousness_count_14_h_while_ICANS_is_0_and_10_h_once_it_is_1_or_more(int ice, double window)
    {
        Observation[] course = [Adult(), Dose(Hours(0), 0.16), Normal(Hours(0.5)), Neuro(Hours(1), ice, Consciousness.Alert)];
        // Temperatures keep the temperature current (all before the reviews), so that only the neuro readings go stale.
        var temperatures = Enumerable.Range(1, 3).Select(i => (Observation)Temperature(Hours(i * 3), 37.0)).ToArray();

        var before = Current([.. course, .. temperatures, Review(Hours(1 + window) - Minute)]);
        var at = Current([.. course, .. temperatures, Review(Hours(1 + window))]);

        Assert.DoesNotContain(before.Overdue, o => o.Reading is ReadingKind.NeuroScore or ReadingKind.Consciousness);
        Assert.Equal([ReadingKind.NeuroScore, ReadingKind.Consciousness],
            at.Overdue.Where(o => o.Reading is ReadingKind.NeuroScore or ReadingKind.Consciousness).Select(o => o.Reading));
    }

    [Fact]
    public void Validity_a_seizure_counts_for_24_h_and_stays_in_the_episode_maximum()
    {
        Observation[] course =
        [
            Adult(), Neuro(Hours(1), 10, Consciousness.Alert, Seizure.FocalOrGeneralizedResolvedRapidly),
            Neuro(Hours(20), 10, Consciousness.Alert),
        ];

        var before = Current([.. course, Neuro(Hours(25) - Minute, 10, Consciousness.Alert)]);
        var at = Current([.. course, Neuro(Hours(25), 10, Consciousness.Alert)]);

        Assert.Equal(IcansGrade.Grade3, before.Result!.AstctIcans.Grade);
        Assert.Equal(IcansGrade.None, at.Result!.AstctIcans.Grade);
        Assert.Equal((0, false), (at.Icans!.Grade, at.Icans.Stale)); // a fresh neuro assessment lowers it
        Assert.Equal(IcansGrade.Grade3, at.State.IcansEpisodeMaximum);
    }

    [Fact]
    public void Validity_staleness_alone_never_lowers_the_grade_shown()
    {
        Observation[] course =
        [
            Adult(), Dose(Hours(0), 0.16), Temperature(Hours(1), 38.9),
            Vitals(Hours(1), vasopressors: 1, oxygen: OxygenSupport.Facemask),
            Neuro(Hours(1), 5, Consciousness.AwakensToVoice),
        ];

        var graded = Graded([.. course, Review(Hours(40))]);
        var current = graded.Timeline.Current!;

        // Oxygen and vasopressors hold until reported otherwise (flagged unconfirmed): CRS stays 3 on them.
        Assert.Equal((3, false), (current.Crs!.Grade, current.Crs.Stale));
        Assert.Contains(current.Overdue, o => o is { Reading: ReadingKind.Oxygen, Reason: OverdueReason.Unconfirmed });
        // ICE and consciousness are stale: ICANS 2 is kept, marked stale, from the time it was assessed.
        Assert.Equal((2, true), (current.Icans!.Grade, current.Icans.Stale));
        Assert.Equal(Hours(1), current.Icans.AssessedAt);
        Assert.Equal((3, 2), (graded.DecidedCrs, graded.DecidedIcans));
    }

    [Fact]
    public void Validity_a_grade_falls_only_on_a_fresh_observation_of_its_readings()
    {
        Observation[] course = [Adult(), Neuro(Hours(1), 5, Consciousness.Alert), Neuro(Hours(20), consciousness: Consciousness.Alert)];

        var afterVitals = Current([.. course, Normal(Hours(21))]);
        var afterNeuro = Current([.. course, Neuro(Hours(21), 10, Consciousness.Alert)]);

        Assert.Equal((2, true), (afterVitals.Icans!.Grade, afterVitals.Icans.Stale)); // ICE stale since 11 h: kept
        Assert.Equal((0, false), (afterNeuro.Icans!.Grade, afterNeuro.Icans.Stale));
    }

    // §8.1 on the timeline ---------------------------------------------------------------------------------------------

    [Fact]
    public void C2_T2H_1_a_temperature_taken_2_h_before_the_onset_still_rules_CRS_out_and_one_taken_earlier_does_not()
    {
        Observation[] course = [Adult(), Normal(Hours(0))];

        var within = Current([.. course, Vitals(Hours(2), vasopressors: 1)]);
        var beyond = Current([.. course, Vitals(Hours(2) + Minute, vasopressors: 1)]);

        Assert.Equal(CrsGrade.None, within.Result!.AstctCrs.Grade);
        Assert.Null(beyond.Result!.AstctCrs.Grade);
        Assert.Contains(Criteria.CrsTemperatureNeededNow, beyond.Result.AstctCrs.Criteria);
    }

    [Fact]
    public void C2_T2H_1_a_temperature_needed_now_is_owed_at_once_inside_a_risk_window()
    {
        var point = Current(Adult(), Dose(Hours(0), 0.16), Normal(Hours(0)), Vitals(Hours(3), vasopressors: 1));

        Assert.Contains(point.Overdue, o => o is { Reading: ReadingKind.Temperature, Reason: OverdueReason.NeededNow } && o.Since == Hours(3));
    }

    [Fact]
    public void C2_VP_1_the_timeline_grades_the_distinct_drugs_it_is_given()
    {
        var one = Current(Adult(), Temperature(Hours(1), 38.5), Vitals(Hours(1), vasopressors: 1, oxygen: OxygenSupport.None));
        var two = Current(Adult(), Temperature(Hours(1), 38.5), Vitals(Hours(1), vasopressors: 2, oxygen: OxygenSupport.None));

        Assert.Equal((3, 4), (one.Crs!.Grade, two.Crs!.Grade));
    }

    [Fact]
    public void C2_DD_1_developmental_delay_on_the_patient_makes_CAPD_the_score()
    {
        var patient = new PatientDetailsObservation(Id(1), Hours(0), 30, false, DevelopmentalDelay: true, BaselineCapd: 10);

        var point = Current(patient, Neuro(Hours(1), consciousness: Consciousness.Alert, capd: 10));

        Assert.Equal(IcansGrade.Grade3, point.Result!.AstctIcans.Grade);
        Assert.Contains(Criteria.IcansWarningCapdAtBaseline, point.Result.AstctIcans.Warnings);
    }

    [Fact]
    public void C2_ICE_1_an_ICE_below_7_for_a_child_raises_the_CAPD_overdue_notice_at_once()
    {
        var point = Current(Child(), Dose(Hours(0), 9, "blinatumomab", "ug/d"), Normal(Hours(0)), Neuro(Hours(1), 5, Consciousness.Alert));

        Assert.Contains(point.Overdue, o => o is { Reading: ReadingKind.NeuroScore, Reason: OverdueReason.NeededNow });
    }

    [Fact]
    public void C2_SED_1_sedation_keeps_the_ICANS_grade_shown_without_lowering_it()
    {
        var point = Current(Adult(), Neuro(Hours(1), 4, Consciousness.AwakensToVoice), Neuro(Hours(2), sedated: true, consciousness: Consciousness.Coma));

        Assert.Null(point.Result!.AstctIcans.Grade);
        Assert.Equal((2, true), (point.Icans!.Grade, point.Icans.Stale));
    }

    [Fact]
    public void C2_LB_1_a_lower_bound_rises_with_a_worse_reading_and_becomes_exact_when_the_score_comes()
    {
        var graded = Graded(Adult(), Neuro(Hours(1), consciousness: Consciousness.AwakensToVoice));
        var atLeast2 = graded.Timeline.Current!.Icans!;

        graded.Record(Neuro(Hours(2), 5));
        var exact2 = graded.Timeline.Current!.Icans!;

        Assert.Equal((2, true), (atLeast2.Grade, atLeast2.LowerBound));
        Assert.Equal((2, false), (exact2.Grade, exact2.LowerBound));
    }

    // §8.3 post-dose risk windows and masking ------------------------------------------------------------------------

    [Theory]
    [InlineData(false, 7 * 24)]  // the first dose of a drug
    [InlineData(true, 72)]       // the same amount as the last dose
    public void C2_RW_1_a_step_up_or_first_dose_opens_7_days_and_a_repeated_dose_72_h(bool repeated, double hours)
    {
        Observation[] course = repeated ? [Adult(), Dose(Hours(-200), 48), Dose(Hours(0), 48)] : [Adult(), Dose(Hours(0), 48)];

        var state = Current(course).State;

        Assert.True(state.InRiskWindow(Hours(hours) - Minute, GradingWindows.Default));
        Assert.False(state.InRiskWindow(Hours(hours), GradingWindows.Default));
    }

    [Fact]
    public void C2_RW_1_a_dose_of_another_amount_and_a_dose_after_CRS_in_the_last_window_open_7_days()
    {
        var stepped = Current(Adult(), Dose(Hours(0), 0.8), Dose(Hours(168), 48)).State;
        var afterCrs = Current(Adult(), Dose(Hours(0), 48), Temperature(Hours(10), 38.6), Normal(Hours(30)), Dose(Hours(168), 48)).State;

        Assert.Equal(Hours(168 + 168), stepped.RiskEnd);
        Assert.Equal(Hours(168 + 168), afterCrs.RiskEnd);
    }

    [Fact]
    public void C2_RW_1_a_premedication_without_a_dose_record_opens_the_7_day_window_provisionally()
    {
        var pending = Current(Adult(), Given(Hours(0), TreatmentKind.Premedication, "diphenhydramine")).State;
        var dosed = Current(Adult(), Given(Hours(0), TreatmentKind.Premedication, "diphenhydramine"), Dose(Hours(1), 48), Dose(Hours(200), 48)).State;

        Assert.True(pending.InRiskWindow(Hours(168) - Minute, GradingWindows.Default));
        Assert.False(pending.InRiskWindow(Hours(168), GradingWindows.Default));
        Assert.Null(dosed.PendingPremedicationAt); // a dose record takes over from the premedication
    }

    [Theory]
    [InlineData(true, 168)]
    [InlineData(false, 72)]
    public void C2_RW_1_a_planned_dose_due_without_a_dose_record_opens_its_window_provisionally_until_a_record_follows(bool stepUp, double hours)
    {
        var planned = new PlannedDoseObservation(NextId(), Hours(0), stepUp);
        var pending = Current(Adult(), planned).State;
        var dosed = Current(Adult(), planned, Dose(Hours(2), 48)).State;

        Assert.True(pending.InRiskWindow(Hours(hours) - Minute, GradingWindows.Default));
        Assert.False(pending.InRiskWindow(Hours(hours), GradingWindows.Default));
        Assert.Null(dosed.PendingPlannedDoseEnd); // the dose record takes over
    }

    [Fact]
    public void C2_RW_1_a_planned_dose_missing_its_record_never_hides_possible_CRS_under_a_corticosteroid()
    {
        // Dexamethasone charted, the dose itself not recorded: hypotension without fever is still possible CRS.
        var unrecorded = Current(Adult(), Given(Hours(0), TreatmentKind.Corticosteroid, "dexamethasone"), new PlannedDoseObservation(NextId(), Hours(1), true),
            Vitals(Hours(9), 37.0, vasopressors: 1, oxygen: OxygenSupport.None));

        Assert.Equal((3, true), (unrecorded.Crs!.Grade, unrecorded.Crs.Provisional));
    }

    [Theory]
    [InlineData(TreatmentKind.Antipyretic, "acetaminophen", 8)]
    [InlineData(TreatmentKind.Corticosteroid, "dexamethasone", 72)]
    [InlineData(TreatmentKind.Tocilizumab, "tocilizumab", 14 * 24)]
    [InlineData(TreatmentKind.Premedication, "dexamethasone", 72)]
    [InlineData(TreatmentKind.Premedication, "acetaminophen", 8)]
    public void C2_MASK_1_each_drug_class_masks_fever_for_its_window_inside_a_risk_window(TreatmentKind kind, string drug, double hours)
    {
        // A dose of another amount two days before the edge keeps a risk window open across it.
        Observation[] course = [Adult(), Dose(Hours(-1), 0.16), Given(Hours(0), kind, drug), Dose(Hours(hours - 48), 0.8)];

        var before = Current([.. course, Vitals(Hours(hours) - Minute, 37.0, vasopressors: 1, oxygen: OxygenSupport.None)]);
        var at = Current([.. course, Vitals(Hours(hours), 37.0, vasopressors: 1, oxygen: OxygenSupport.None)]);

        Assert.Equal((CrsGrade.Grade3, true), (before.Result!.AstctCrs.Grade, before.Result.AstctCrs.Provisional));
        Assert.Equal(CrsGrade.None, at.Result!.AstctCrs.Grade); // masking over: no fever is no CRS (C2-MASK-4)
    }

    [Fact]
    public void C2_MASK_1_masking_needs_a_risk_window_too_and_an_antihistamine_masks_nothing()
    {
        var noDose = Current(Adult(), Given(Hours(0), TreatmentKind.Corticosteroid, "dexamethasone"), Vitals(Hours(5), 37.0, vasopressors: 1, oxygen: OxygenSupport.None));
        var antihistamine = Current(Adult(), Dose(Hours(-1), 0.16), Given(Hours(0), TreatmentKind.Premedication, "diphenhydramine"),
            Vitals(Hours(5), 37.0, vasopressors: 1, oxygen: OxygenSupport.None));

        Assert.Equal(CrsGrade.None, noDose.Result!.AstctCrs.Grade);
        Assert.Equal(CrsGrade.None, antihistamine.Result!.AstctCrs.Grade);
    }

    [Fact]
    public void C2_MASK_2_the_premedicated_step_up_patient_on_norepinephrine_8_h_later_has_possible_CRS_3_and_an_episode()
    {
        var point = Current(
            Adult(), Given(Hours(0), TreatmentKind.Premedication, "dexamethasone"), Dose(Hours(1), 0.16), Normal(Hours(1)),
            Vitals(Hours(9), 37.2, vasopressors: 1, oxygen: OxygenSupport.None));

        Assert.Equal((3, true, false), (point.Crs!.Grade, point.Crs.Provisional, point.Crs.LowerBound));
        Assert.Equal([Criteria.CrsPossibleMaskedFever, Criteria.CrsHypotensionOneVasopressor], point.Result!.AstctCrs.Criteria);
        Assert.Equal((1, Hours(9)), (point.State.Episode, point.State.EpisodeOpenedAt));
    }

    [Fact]
    public void C2_MASK_3_once_possible_CRS_reached_2_the_episode_stays_CRS_under_therapy_when_the_windows_end()
    {
        var point = Current(
            Adult(), Given(Hours(0), TreatmentKind.Antipyretic, "acetaminophen"), Dose(Hours(0), 0.16), Normal(Hours(0)),
            Vitals(Hours(2), 37.2, hypotensive: true, oxygen: OxygenSupport.None),
            Vitals(Hours(12), 37.0, hypotensive: true, vasopressors: 0, oxygen: OxygenSupport.None)); // masking (8 h) over

        Assert.Equal((2, true), (point.Crs!.Grade, point.Crs.Provisional));
        Assert.True(point.State.PossibleCrsInEpisode);
    }

    // §8.4 episodes and the clock ---------------------------------------------------------------------------------------

    [Fact]
    public void C2_EP_1_hypotension_beginning_over_24_h_after_the_last_fever_without_masking_is_flagged_not_lowered()
    {
        Observation[] course = [Adult(), Temperature(Hours(1), 38.6), Normal(Hours(2))];
        var normals = Enumerable.Range(1, 5).Select(i => (Observation)Normal(Hours(2 + (i * 4)))).ToArray();

        var within = Current([.. course, .. normals, Vitals(Hours(25), 37.0, vasopressors: 1)]);
        var beyond = Current([.. course, .. normals, Vitals(Hours(25) + Minute, 37.0, vasopressors: 1)]);

        Assert.Equal(CrsGrade.Grade3, within.Result!.AstctCrs.Grade);
        Assert.DoesNotContain(Criteria.CrsFeverResolvedOver24h, within.Result.AstctCrs.Criteria);
        Assert.Equal(CrsGrade.Grade3, beyond.Result!.AstctCrs.Grade);
        Assert.Contains(Criteria.CrsFeverResolvedOver24h, beyond.Result.AstctCrs.Criteria);
    }

    [Fact]
    public void C2_EP_2_an_episode_closes_at_72_h_on_current_normal_readings_by_the_clock()
    {
        Observation[] course = [Adult(), Temperature(Hours(1), 38.6), Normal(Hours(2)), Neuro(Hours(2), 10, Consciousness.Alert), Normal(Hours(70))];

        var before = Current([.. course, Review(Hours(73) - Minute)]);
        var at = Current([.. course, Review(Hours(73))]);

        Assert.NotNull(before.State.EpisodeOpenedAt);
        Assert.Equal(1, before.Crs!.Grade);
        Assert.Null(at.State.EpisodeOpenedAt);
        Assert.Equal((1, Hours(73), false), (at.Closure!.Episode, at.Closure.ClosedAt, at.Closure.Unobserved));
        Assert.Equal((0, false), (at.Crs!.Grade, at.Crs.Stale));
    }

    [Fact]
    public void C2_EP_2_stale_readings_never_close_an_episode_and_a_fresh_normal_observation_does()
    {
        Observation[] course = [Adult(), Temperature(Hours(1), 38.6), Normal(Hours(2)), Normal(Hours(60))];

        var stale = Current([.. course, Review(Hours(73))]);
        var fresh = Current([.. course, Review(Hours(73)), Normal(Hours(80))]);

        Assert.NotNull(stale.State.EpisodeOpenedAt);
        Assert.Equal(1, stale.Crs!.Grade);
        Assert.Null(fresh.State.EpisodeOpenedAt);
        Assert.Equal(0, fresh.Crs!.Grade);
    }

    [Fact]
    public void C2_EP_2_an_open_episode_without_any_observation_for_14_days_closes_unobserved_and_keeps_the_grade()
    {
        Observation[] course = [Adult(), Temperature(Hours(1), 38.6), Vitals(Hours(1), hypotensive: true, oxygen: OxygenSupport.None)];

        var before = Current([.. course, Review(Hours(1 + (14 * 24)) - Minute)]);
        var at = Current([.. course, Review(Hours(1 + (14 * 24)))]);

        Assert.Null(before.Closure);
        Assert.True(at.Closure!.Unobserved);
        Assert.Null(at.State.EpisodeOpenedAt);
        Assert.Equal((2, true), (at.Crs!.Grade, at.Crs.Stale)); // the passing of time alone never lowers it
    }

    [Fact]
    public void C2_EP_3_a_masking_window_outlives_the_closure_of_its_episode()
    {
        var point = Current(
            Adult(), Dose(Hours(0), 48), Temperature(Hours(2), 38.8), Given(Hours(3), TreatmentKind.Tocilizumab, "tocilizumab"),
            Normal(Hours(4)), Neuro(Hours(4), 10, Consciousness.Alert), Normal(Hours(76)), Review(Hours(76)), Dose(Hours(168), 48),
            Vitals(Hours(170), 37.1, vasopressors: 1, oxygen: OxygenSupport.None));

        Assert.Equal(2, point.State.Episode);
        Assert.Equal((3, true), (point.Crs!.Grade, point.Crs.Provisional));
    }

    [Fact]
    public void T1_a_review_point_is_in_clinical_time_order_and_grades_like_any_point()
    {
        var timeline = Graded(Adult(), Temperature(Hours(1), 38.2), Review(Hours(3), "a"), Temperature(Hours(2), 37.0)).Timeline;

        Assert.Equal(["PatientDetailsObservation", "VitalsObservation", "VitalsObservation", "ReviewObservation"],
            timeline.Window.Select(p => p.Observation.GetType().Name));
    }
}
