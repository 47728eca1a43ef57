using Toxicity.Grading.Timeline;
using Xunit;
using static Toxicity.Grading.Tests.Timeline.Trajectories;

namespace Toxicity.Grading.Tests.Timeline;

/// <summary>One test (or theory) per timeline rule of docs/grading-timeline.md, named after it.</summary>
public sealed class TimelineRuleTests
{
    private static TimelinePoint Current(params Observation[] observations)
    {
        var timeline = new PatientTimeline();
        foreach (var observation in observations)
        {
            timeline.Add(observation);
        }

        return timeline.Current!;
    }

    [Fact]
    public void T1_points_are_in_clinical_time_order_and_equal_times_in_event_id_order_whatever_the_arrival_order()
    {
        var early = new VitalsObservation(Id(3), Hours(1), TemperatureC: 38.2);
        var late = new VitalsObservation(Id(2), Hours(2), TemperatureC: 37.1);
        var sameTimeHigherId = new VitalsObservation(Id(4), Hours(2), TemperatureC: 36.9);

        var timeline = new PatientTimeline();
        foreach (var observation in new Observation[] { sameTimeHigherId, late, Adult(), early })
        {
            timeline.Add(observation);
        }

        Assert.Equal([Id(1), Id(3), Id(2), Id(4)], timeline.Points.Select(p => p.Observation.Id));
        Assert.Equal(36.9, timeline.Current!.State.TemperatureC);
    }

    [Fact]
    public void T2_each_value_holds_until_a_later_observation_reports_it()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.6, Oxygen: OxygenSupport.LowFlowNasalCannula, OxygenFlowLPerMin: 4, Hypotensive: true),
            new VitalsObservation(Id(3), Hours(2), Vasopressors: new(1, false)),
            new NeuroObservation(Id(4), Hours(3), IceScore: 8, Consciousness: Consciousness.AwakensToVoice),
            new NeuroObservation(Id(5), Hours(4), IceScore: 10));

        Assert.Equal((38.6, Hours(1)), (point.State.TemperatureC, point.State.TemperatureAt));
        Assert.Equal((OxygenSupport.LowFlowNasalCannula, 4.0), (point.State.Oxygen, point.State.OxygenFlowLPerMin));
        Assert.Equal(CrsGrade.Grade3, point.Crs); // one vasopressor, fever and oxygen still current
        Assert.Equal(IcansGrade.Grade2, point.Icans); // ICE 10 now, but "awakens to voice" was not reported again
    }

    [Fact]
    public void T2_a_new_device_replaces_the_flow_and_FiO2_of_the_old_one()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.6, Oxygen: OxygenSupport.LowFlowNasalCannula, OxygenFlowLPerMin: 8),
            new VitalsObservation(Id(3), Hours(2), Oxygen: OxygenSupport.None));

        Assert.Equal((OxygenSupport.None, (double?)null), (point.State.Oxygen, point.State.OxygenFlowLPerMin));
        Assert.Equal(CrsGrade.Grade1, point.Crs);
    }

    [Theory]
    [InlineData(0, false, null, Hypotension.None)]
    [InlineData(0, false, true, Hypotension.FluidResponsive)]
    [InlineData(1, false, false, Hypotension.OneVasopressor)]
    [InlineData(1, true, null, Hypotension.OneVasopressor)]
    [InlineData(2, true, null, Hypotension.MultipleVasopressors)]
    [InlineData(2, false, null, Hypotension.MultipleVasopressors)]
    [InlineData(3, true, null, Hypotension.MultipleVasopressors)]
    public void T3_hypotension_is_read_from_the_vasopressors_running_then_the_bedside_judgement(int count, bool vasopressin, bool? hypotensive, Hypotension expected)
    {
        var state = TimelineState.Empty with { Vasopressors = new(count, vasopressin), Hypotensive = hypotensive };

        Assert.Equal(expected, state.HypotensionCategory);
        Assert.Equal(count == 2 && vasopressin, state.VasopressinOnlyAdded);
    }

    [Fact]
    public void T3_nothing_reported_is_unknown_not_normal() =>
        Assert.Null(TimelineState.Empty.HypotensionCategory);

    [Fact]
    public void T4_hypotension_without_fever_opens_no_episode_and_is_no_CRS()
    {
        var point = Current(Adult(), new VitalsObservation(Id(2), Hours(1), TemperatureC: 37.2, Vasopressors: new(2, false)));

        Assert.Equal(CrsGrade.None, point.Crs);
        Assert.Null(point.State.EpisodeOpenedAt);
    }

    [Fact]
    public void T4_fever_or_ICANS_opens_an_episode()
    {
        Assert.Equal((1, Hours(1)), Episode(Current(Adult(), new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.0))));
        Assert.Equal((1, Hours(1)), Episode(Current(Adult(), new NeuroObservation(Id(2), Hours(1), IceScore: 9))));
    }

    [Theory]
    [InlineData(TreatmentKind.Antipyretic, true)]
    [InlineData(TreatmentKind.Tocilizumab, true)]
    [InlineData(TreatmentKind.Corticosteroid, true)]
    [InlineData(TreatmentKind.Premedication, false)]
    [InlineData(TreatmentKind.BispecificDose, false)]
    public void T5_antipyretic_or_anti_cytokine_therapy_after_fever_masks_it(TreatmentKind kind, bool masks)
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.4),
            new TreatmentObservation(Id(3), Hours(2), kind),
            new VitalsObservation(Id(4), Hours(3), TemperatureC: 37.0, Hypotensive: true));

        Assert.Equal(masks, point.State.FeverMasked);
        // Either way CRS is still present: masked (R-CRS-3), or fever earlier in the open episode (T-5).
        Assert.Equal(CrsGrade.Grade2, point.Crs);
        Assert.Equal(masks ? Criteria.CrsFeverMasked : Criteria.CrsFeverEarlierInEpisode, point.Result!.AstctCrs.Criteria[0]);
    }

    [Fact]
    public void T5_without_an_open_episode_a_normal_temperature_is_no_CRS()
    {
        var point = Current(Adult(), new VitalsObservation(Id(2), Hours(1), TemperatureC: 37.4, Oxygen: OxygenSupport.Facemask));

        Assert.Equal((CrsGrade.None, Criteria.CrsNoFever), (point.Crs, point.Result!.AstctCrs.Criteria[0]));
    }

    [Fact]
    public void T5_therapy_given_before_any_fever_masks_nothing()
    {
        var point = Current(
            Adult(),
            new TreatmentObservation(Id(2), Hours(1), TreatmentKind.Corticosteroid),
            new VitalsObservation(Id(3), Hours(2), TemperatureC: 37.0, Hypotensive: true));

        Assert.False(point.State.FeverMasked);
        Assert.Equal(CrsGrade.None, point.Crs);
    }

    [Fact]
    public void T6_an_episode_closes_72_hours_after_the_last_finding_and_not_a_minute_before()
    {
        Observation[] course =
        [
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.4),
            new TreatmentObservation(Id(3), Hours(2), TreatmentKind.Antipyretic),
            new VitalsObservation(Id(4), Hours(5), TemperatureC: 37.0),
        ];
        var lastFinding = Hours(2); // the fever was still the latest reading when the antipyretic was given

        var before = Current([.. course, new VitalsObservation(Id(5), lastFinding + TimeSpan.FromHours(72) - TimeSpan.FromMinutes(1), TemperatureC: 36.8)]);
        var at = Current([.. course, new VitalsObservation(Id(5), lastFinding + TimeSpan.FromHours(72), TemperatureC: 36.8)]);

        Assert.Equal((CrsGrade.Grade1, true), (before.Crs, before.State.FeverMasked));
        Assert.Equal((CrsGrade.None, false, (DateTimeOffset?)null), (at.Crs, at.State.FeverMasked, at.State.EpisodeOpenedAt));
        Assert.Equal(TimeSpan.FromHours(72), TimelineRules.EpisodeResolution);
    }

    [Fact]
    public void T6_a_finding_still_current_keeps_the_episode_open()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.4, Oxygen: OxygenSupport.LowFlowNasalCannula, OxygenFlowLPerMin: 2),
            new VitalsObservation(Id(3), Hours(200), TemperatureC: 36.8));

        Assert.Equal(CrsGrade.Grade2, point.Crs); // afebrile, but the cannula was never reported removed
        Assert.Equal(Hours(200), point.State.LastFindingAt);
    }

    [Fact]
    public void T6_a_new_episode_after_closure_starts_its_own_maximum()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.4, Hypotensive: true),
            new VitalsObservation(Id(3), Hours(2), TemperatureC: 37.0, Hypotensive: false),
            new VitalsObservation(Id(4), Hours(80), TemperatureC: 37.0),
            new VitalsObservation(Id(5), Hours(90), TemperatureC: 38.1));

        Assert.Equal((2, CrsGrade.Grade1, (CrsGrade?)CrsGrade.Grade1), (point.State.Episode, point.Crs, point.State.CrsEpisodeMaximum));
    }

    [Fact]
    public void T7_the_age_picks_the_score_and_details_recorded_later_than_an_observation_still_grade_it()
    {
        var child = new PatientDetailsObservation(Id(9), Hours(5), 8, Died: false);
        var timeline = new PatientTimeline();
        timeline.Add(new NeuroObservation(Id(2), Hours(1), IceScore: 4, CapdScore: 12));
        Assert.Null(timeline.Current!.Result);
        Assert.NotNull(timeline.Current!.NotGradableReason);

        var update = timeline.Add(child);

        Assert.Equal(0, update!.RegradedFrom);
        Assert.Equal(IcansGrade.Grade3, timeline.Points[0].Icans); // CAPD 12 for an 8-year-old (R-ICANS-7)
    }

    [Fact]
    public void T8_death_while_a_syndrome_is_present_grades_it_5_and_the_episode_never_closes()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.9),
            new NeuroObservation(Id(3), Hours(2), IceScore: 10),
            new PatientDetailsObservation(Id(4), Hours(3), 58, Died: true),
            new VitalsObservation(Id(5), Hours(100), TemperatureC: 36.0));

        Assert.Equal((CrsGrade.Grade5, IcansGrade.None), (point.Crs, point.Icans)); // C-DTH-1: ICANS was absent
        Assert.Equal(Hours(1), point.State.EpisodeOpenedAt);
    }

    [Fact]
    public void T9_a_bispecific_dose_is_recorded_and_gates_nothing()
    {
        var point = Current(
            Adult(),
            new VitalsObservation(Id(2), Hours(1), TemperatureC: 38.3),
            new TreatmentObservation(Id(3), Hours(2), TreatmentKind.BispecificDose));

        Assert.Equal((CrsGrade.Grade1, (DateTimeOffset?)Hours(2)), (point.Crs, point.State.LastBispecificDoseAt));
    }

    private static (int, DateTimeOffset?) Episode(TimelinePoint point) => (point.State.Episode, point.State.EpisodeOpenedAt);
}
