using Toxicity.Grading.V2;
using Xunit;

namespace Toxicity.Grading.Tests.V2;

/// <summary>The single-snapshot engine of rule set astct-2019/2 (CLINICAL-RULES.md §8.1), one test or theory per rule id.</summary>
public sealed class EngineV2Tests
{
    private static readonly Assessment Adult = new() { AgeYears = 60 };

    private static ScaleResult<CrsGrade> Crs(Assessment a) => AstctCrsV2.Evaluate(a);

    private static ScaleResult<IcansGrade> Icans(Assessment a) => AstctIcansV2.Evaluate(a);

    [Theory]
    [InlineData(Consciousness.Alert, 0)]
    [InlineData(Consciousness.AwakensSpontaneously, 1)]
    [InlineData(Consciousness.AwakensToVoice, 2)]
    [InlineData(Consciousness.AwakensToTactile, 3)]
    [InlineData(Consciousness.Unarousable, 4)]
    [InlineData(Consciousness.Stupor, 4)]
    [InlineData(Consciousness.Coma, 4)]
    public void R2_CON_1_alert_is_0_and_awakens_spontaneously_is_grade_1(Consciousness consciousness, int expected)
    {
        var result = Icans(Adult with { IceScore = 10, Consciousness = consciousness });

        Assert.Equal((IcansGrade)expected, result.Grade);
        Assert.False(result.LowerBound);
        Assert.Equal(consciousness == Consciousness.AwakensSpontaneously, result.Criteria.Contains(Criteria.IcansAwakensSpontaneously));
    }

    [Fact]
    public void R2_CON_1_a_drowsy_adult_who_wakes_by_themselves_with_ICE_10_is_grade_1_where_rule_set_1_said_0()
    {
        var drowsy = Adult with { IceScore = 10, Consciousness = Consciousness.AwakensSpontaneously };

        Assert.Equal(IcansGrade.Grade1, Icans(drowsy).Grade);
        Assert.Equal(IcansGrade.None, AstctIcans.Evaluate(drowsy).Grade); // frozen astct-2019/1 (C-ICANS-1)
        Assert.Equal(IcansGrade.None, AstctIcans.Evaluate(drowsy with { Consciousness = Consciousness.Alert }).Grade);
    }

    [Fact]
    public void C2_SED_1_under_sedation_consciousness_and_ICE_are_not_assessable()
    {
        var sedated = Adult with { Sedated = true, IceScore = 2, Consciousness = Consciousness.Unarousable, Seizure = Seizure.None };

        var result = Icans(sedated);

        Assert.Null(result.Grade);
        Assert.Equal("not assessable under sedation (C2-SED-1)", result.Reason);
        Assert.Contains(Criteria.IcansNotAssessableSedated, result.Criteria);
    }

    [Theory]
    [InlineData(Seizure.FocalOrGeneralizedResolvedRapidly, null, null, 3)]
    [InlineData(Seizure.ProlongedOver5MinOrRepetitive, null, null, 4)]
    [InlineData(null, MotorFinding.DeepFocalWeakness, null, 4)]
    [InlineData(null, null, CerebralEdema.FocalLocal, 3)]
    public void C2_SED_1_under_sedation_a_seizure_motor_or_oedema_finding_of_3_or_more_still_grades(Seizure? seizure, MotorFinding? motor, CerebralEdema? edema, int expected)
    {
        var result = Icans(Adult with { Sedated = true, Seizure = seizure, Motor = motor, CerebralEdema = edema, Consciousness = Consciousness.Coma });

        Assert.Equal((IcansGrade)expected, result.Grade);
        Assert.False(result.LowerBound);
    }

    [Fact]
    public void C2_LB_1_awakens_to_voice_without_ICE_is_at_least_2_not_silence()
    {
        var result = Icans(Adult with { Consciousness = Consciousness.AwakensToVoice });

        Assert.Equal((IcansGrade.Grade2, true), (result.Grade, result.LowerBound));
        Assert.Contains(Criteria.IcansLowerBoundScoreMissing, result.Criteria);
        Assert.Equal("ICANS at least 2; ICE needed (C2-LB-1)", result.Reason);
    }

    [Theory]
    [InlineData(Consciousness.AwakensToTactile, 3)]
    [InlineData(Consciousness.Unarousable, 4)]
    public void C2_LB_1_a_known_worst_domain_of_3_or_more_is_exact_without_a_score(Consciousness consciousness, int expected)
    {
        var result = Icans(Adult with { Consciousness = consciousness });

        Assert.Equal(((IcansGrade)expected, false), (result.Grade, result.LowerBound));
    }

    [Fact]
    public void C2_LB_1_a_stale_score_names_itself_in_the_lower_bound()
    {
        var result = Icans(Adult with { Consciousness = Consciousness.AwakensSpontaneously, ScoreStale = true });

        Assert.Equal((IcansGrade.Grade1, true), (result.Grade, result.LowerBound));
        Assert.Contains(Criteria.IcansLowerBoundScoreStale, result.Criteria);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(8, 1)]
    [InlineData(5, 2)]
    [InlineData(1, 3)]
    public void C2_LB_1_a_score_without_consciousness_is_a_lower_bound(int ice, int expected)
    {
        var result = Icans(Adult with { IceScore = ice });

        Assert.Equal(((IcansGrade)expected, true), (result.Grade, result.LowerBound));
        Assert.Contains(Criteria.IcansLowerBoundConsciousnessUnknown, result.Criteria);
    }

    [Fact]
    public void C2_LB_1_seizure_motor_and_oedema_reported_none_alone_do_not_make_ICANS_gradable()
    {
        var result = Icans(Adult with { Seizure = Seizure.None, Motor = MotorFinding.None, CerebralEdema = CerebralEdema.None });

        Assert.Null(result.Grade);
        Assert.Contains(Criteria.IcansScoreMissing, result.Criteria);
    }

    [Fact]
    public void C2_LB_0_a_lower_bound_of_0_is_a_lower_bound_the_timeline_never_shows_as_0()
    {
        var result = Icans(Adult with { Consciousness = Consciousness.Alert });

        Assert.Equal((IcansGrade.None, true), (result.Grade, result.LowerBound));
        Assert.True(new ShownGrade(0, true, false, false, DateTimeOffset.UnixEpoch).NotAssessed);
        Assert.False(new ShownGrade(0, false, false, false, DateTimeOffset.UnixEpoch).NotAssessed);
    }

    [Fact]
    public void C2_LB_2_fever_with_hypotension_and_oxygen_not_reported_is_at_least_1()
    {
        var result = Crs(Adult with { TemperatureC = 38.6 });

        Assert.Equal((CrsGrade.Grade1, true), (result.Grade, result.LowerBound));
        Assert.Contains(Criteria.CrsLowerBoundComponentsNotReported, result.Criteria);
        Assert.Equal("hypotension and oxygen status not reported (C2-LB-2)", result.Reason);
    }

    [Theory]
    [InlineData(Hypotension.None, OxygenSupport.None, 1, false)]
    [InlineData(Hypotension.FluidResponsive, null, 2, true)]
    [InlineData(null, OxygenSupport.Facemask, 3, true)]
    [InlineData(null, OxygenSupport.Cpap, 4, false)]
    [InlineData(Hypotension.MultipleVasopressors, null, 4, false)]
    public void C2_LB_2_an_unknown_component_makes_a_lower_bound_only_while_it_could_raise_the_grade(Hypotension? hypotension, OxygenSupport? oxygen, int expected, bool lowerBound)
    {
        var result = Crs(Adult with { TemperatureC = 38.6, Hypotension = hypotension, Oxygen = oxygen });

        Assert.Equal(((CrsGrade)expected, lowerBound), (result.Grade, result.LowerBound));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(OxygenSupport.LowFlowNasalCannula, false)]
    public void C2_LB_2_an_empty_vasopressor_list_alone_bounds_hypotension_at_2(OxygenSupport? oxygen, bool lowerBound)
    {
        var result = Crs(Adult with { TemperatureC = 38.6, Oxygen = oxygen ?? OxygenSupport.None, NoVasopressorRunning = true });

        Assert.Equal(oxygen is null ? CrsGrade.Grade1 : CrsGrade.Grade2, result.Grade);
        Assert.Equal(lowerBound, result.LowerBound); // fluid-responsive hypotension (2) is not excluded, but cannot raise a 2
    }

    [Fact]
    public void C2_T2H_1_hypotension_with_an_old_temperature_is_not_gradable_temperature_needed_now()
    {
        var result = Crs(Adult with { TemperatureC = 37.0, TemperatureBeforeOrganSupportOnset = true, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None });

        Assert.Null(result.Grade);
        Assert.Equal([Criteria.CrsTemperatureNeededNow], result.Criteria);
    }

    [Fact]
    public void C2_T2H_1_a_temperature_taken_near_the_onset_still_rules_CRS_out()
    {
        var result = Crs(Adult with { TemperatureC = 37.0, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None });

        Assert.Equal(CrsGrade.None, result.Grade);
        Assert.Equal([Criteria.CrsNoFever], result.Criteria);
    }

    [Fact]
    public void C2_CAL_1_premedication_masking_makes_hypotension_without_fever_possible_CRS()
    {
        var result = Crs(Adult with { TemperatureC = 37.1, PremedicationMasked = true, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None });

        Assert.Equal((CrsGrade.Grade3, true, false), (result.Grade, result.Provisional, result.LowerBound));
        Assert.Equal([Criteria.CrsPossibleMaskedFever, Criteria.CrsHypotensionOneVasopressor], result.Criteria);
    }

    [Theory]
    [InlineData(true, false, 0, false)]  // premedication, nothing found: 0 (C2-MASK-2)
    [InlineData(false, true, 1, false)]  // therapy after CRS, nothing found: 1 (R-CRS-3, C-CRS-3)
    public void C2_CAL_1_premedication_masking_is_not_fever_masked_by_treatment(bool premedication, bool therapy, int expected, bool provisional)
    {
        var result = Crs(Adult with { TemperatureC = 36.9, PremedicationMasked = premedication, FeverMaskedByTreatment = therapy, Hypotension = Hypotension.None, Oxygen = OxygenSupport.None });

        Assert.Equal(((CrsGrade)expected, provisional, false), (result.Grade, result.Provisional, result.LowerBound));
    }

    [Fact]
    public void C2_MASK_2_premedication_with_hypotension_and_oxygen_not_reported_is_a_lower_bound_of_0()
    {
        var result = Crs(Adult with { TemperatureC = 36.9, PremedicationMasked = true });

        Assert.Equal((CrsGrade.None, true), (result.Grade, result.LowerBound));
    }

    [Fact]
    public void C2_MASK_3_possible_CRS_earlier_in_the_episode_is_CRS_under_therapy_still_provisional()
    {
        var result = Crs(Adult with { TemperatureC = 36.9, PossibleCrsEarlierInEpisode = true, Hypotension = Hypotension.None, Oxygen = OxygenSupport.None });

        Assert.Equal((CrsGrade.Grade1, true), (result.Grade, result.Provisional));
        Assert.Equal([Criteria.CrsPossibleMaskedFever], result.Criteria);
    }

    [Fact]
    public void C2_MASK_4_outside_masking_no_fever_is_not_CRS()
    {
        var result = Crs(Adult with { TemperatureC = 36.9, Hypotension = Hypotension.MultipleVasopressors, Oxygen = OxygenSupport.MechanicalVentilation });

        Assert.Equal(CrsGrade.None, result.Grade);
        Assert.False(result.Provisional);
    }

    [Fact]
    public void C2_DTH_2_death_while_possible_CRS_is_present_is_5_provisional()
    {
        var result = Crs(Adult with { TemperatureC = 36.9, PremedicationMasked = true, Hypotension = Hypotension.OneVasopressor, Died = true });

        Assert.Equal((CrsGrade.Grade5, true), (result.Grade, result.Provisional));
        Assert.Contains(Criteria.CrsDeath, result.Criteria);
    }

    [Fact]
    public void C2_EP_1_fever_resolved_over_24_h_before_the_onset_is_a_warning_beside_the_grade()
    {
        var result = Crs(Adult with { TemperatureC = 36.9, FeverEarlierInEpisode = true, FeverResolvedOver24hBeforeOnset = true, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None });

        Assert.Equal(CrsGrade.Grade3, result.Grade);
        Assert.Contains(Criteria.CrsFeverResolvedOver24h, result.Criteria);
    }

    [Fact]
    public void C2_VP_1_is_applied_by_the_timeline_counting_distinct_drugs() =>
        // The single-snapshot engine takes the hypotension category; the timeline counts drugs (TimelineV2Tests).
        Assert.Equal(CrsGrade.Grade3, Crs(Adult with { TemperatureC = 38.5, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None }).Grade);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8, 1)]
    [InlineData(9, 3)]
    public void C2_DD_1_developmental_delay_grades_CAPD_at_12_and_over_and_reports_ICE_not_used(int capd, int expected)
    {
        var result = Icans(Adult with { DevelopmentalDelay = true, CapdScore = capd, IceScore = 2, Consciousness = Consciousness.Alert });

        Assert.Equal((IcansGrade)expected, result.Grade);
        Assert.Contains(Criteria.IcansIceNotUsedDevelopmentalDelay, result.Warnings);
    }

    [Theory]
    [InlineData(9, 9, true)]
    [InlineData(9, 8, false)]
    [InlineData(8, 12, false)]
    public void C2_DD_1_a_CAPD_of_9_or_more_not_above_the_baseline_is_flagged(int capd, int baseline, bool flagged)
    {
        var result = Icans(Adult with { DevelopmentalDelay = true, CapdScore = capd, BaselineCapd = baseline, Consciousness = Consciousness.Alert });

        Assert.Equal(flagged, result.Warnings.Contains(Criteria.IcansWarningCapdAtBaseline));
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(6, true)]
    public void C2_ICE_1_an_ICE_for_a_child_under_12_is_not_used_and_below_7_urgent(int ice, bool urgent)
    {
        var result = Icans(new Assessment { AgeYears = 8, IceScore = ice, Consciousness = Consciousness.AwakensSpontaneously });

        Assert.Equal((IcansGrade.Grade1, true), (result.Grade, result.LowerBound)); // the other domains, as a lower bound
        Assert.Contains(urgent ? Criteria.IcansIceNotUsedUnder12Below7 : Criteria.IcansIceNotUsedUnder12, result.Warnings);
    }

    [Fact]
    public void CTCAE_2_follows_the_astct_2_gate_provisional_with_it()
    {
        var assessment = Adult with { TemperatureC = 37.1, PremedicationMasked = true, Hypotension = Hypotension.OneVasopressor, Oxygen = OxygenSupport.None };

        var result = GradingEngineV2.Evaluate(assessment).CtcaeCrs;

        Assert.Equal((CrsGrade.Grade3, true, RuleSet.Ctcae5CrsV2.Id), (result.Grade, result.Provisional, result.RuleSet.Id));
        Assert.Contains(Criteria.CtcaePossibleMaskedFever, result.Criteria);
    }

    [Fact]
    public void CTCAE_2_an_unknown_component_makes_a_lower_bound_as_on_astct()
    {
        var result = GradingEngineV2.Evaluate(Adult with { TemperatureC = 38.4, Oxygen = OxygenSupport.None }).CtcaeCrs;

        Assert.Equal((CrsGrade.Grade1, true), (result.Grade, result.LowerBound));
    }
}
