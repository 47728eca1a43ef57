namespace Toxicity.Grading.V2;

/// <summary>
/// ASTCT 2019 ICANS grade under rule set <c>astct-2019/2</c> (CLINICAL-RULES.md §8.1): the /1 domain tables (§2.5,
/// shared with <see cref="AstctIcans"/>) except consciousness (<c>alert</c> 0, awakens spontaneously 1: R2-CON-1);
/// lower bounds instead of silence when the score or consciousness is not known (C2-LB-1); nothing assessable from
/// consciousness or the score under sedation (C2-SED-1); CAPD for baseline developmental delay (C2-DD-1); an ICE
/// sent for a child under 12 is not used (C2-ICE-1). Pure.
/// </summary>
public static class AstctIcansV2
{
    // source: R-ICANS-7 (S-ASTCT-e): ICE from 12 years; CAPD below (and, C2-DD-1, for developmental delay).
    private const double IceFromAgeYears = 12.0;

    // source: §2.4 (S-ASTCT-e): CAPD >= 9 is grade 3; C2-DD-1 compares it with the patient's baseline.
    private const int CapdPositive = 9;

    // source: §2.2 (S-ASTCT-c,d): ICE 7-9 is grade 1; below 7 under 12 makes C2-ICE-1's warning urgent.
    private const int IceGrade1From = 7;

    // The most the score domain can give (ICE 0-2 or CAPD >= 9: grade 3); grade 4 needs consciousness (R-ICANS-2, C2-LB-1).
    private const int MostFromScore = 3;

    // source: §2.5 with R2-CON-1: alert 0, awakens spontaneously 1, to voice 2, to tactile 3, unarousable/stupor/coma 4.
    private static readonly AstctIcans.DomainRow[] ConsciousnessRows = AstctIcans.DomainRow.Table<Consciousness>(
        (Consciousness.Alert, 0, null),
        (Consciousness.AwakensSpontaneously, 1, Criteria.IcansAwakensSpontaneously),
        (Consciousness.AwakensToVoice, 2, Criteria.IcansAwakensToVoice),
        (Consciousness.AwakensToTactile, 3, Criteria.IcansAwakensToTactile),
        (Consciousness.Unarousable, 4, Criteria.IcansUnarousable),
        (Consciousness.Stupor, 4, Criteria.IcansStupor),
        (Consciousness.Coma, 4, Criteria.IcansComa));

    public static ScaleResult<IcansGrade> Evaluate(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var criteria = new List<Criterion>(4);
        var warnings = new List<Criterion>(2);
        var other = Math.Max(AstctIcans.SeizureGrade(assessment.Seizure, criteria),
            Math.Max(AstctIcans.MotorGrade(assessment.Motor, criteria), AstctIcans.EdemaGrade(assessment.CerebralEdema, criteria)));

        if (assessment.Sedated)
        {
            // C2-SED-1: under sedation consciousness and the score say nothing (R-ICANS-3); only a finding >= 3 grades.
            criteria.Add(Criteria.IcansNotAssessableSedated);
            return other >= 3
                ? Graded(other, criteria, warnings, assessment.Died)
                : new ScaleResult<IcansGrade>(null, criteria, RuleSet.Astct2019v2, "not assessable under sedation (C2-SED-1)", warnings);
        }

        var usesCapd = assessment.AgeYears < IceFromAgeYears || assessment.DevelopmentalDelay;
        var score = usesCapd ? Capd(assessment, criteria, warnings) : Ice(assessment, criteria, warnings);
        int? consciousness = assessment.Consciousness is { } c ? ConsciousnessRows[(int)c].Apply(criteria) : null;
        var known = Math.Max(Math.Max(score ?? 0, consciousness ?? 0), other);
        var scoreName = usesCapd ? "CAPD" : "ICE";

        if (score is null && consciousness is null)
        {
            // Seizure, motor and oedema reported as none alone do not make ICANS gradable (C2-LB-1, as C-ICANS-3).
            if (other >= 3)
            {
                return Graded(other, criteria, warnings, assessment.Died);
            }

            criteria.Add(Criteria.IcansScoreMissing);
            return new ScaleResult<IcansGrade>(null, criteria, RuleSet.Astct2019v2,
                $"{scoreName} and the level of consciousness not reported (C2-LB-1)", warnings);
        }

        if (score is null && known < MostFromScore)
        {
            criteria.Add(assessment.ScoreStale ? Criteria.IcansLowerBoundScoreStale : Criteria.IcansLowerBoundScoreMissing);
            return LowerBound(known, criteria, warnings, assessment.Died, $"ICANS at least {known}; {scoreName} needed (C2-LB-1)");
        }

        if (consciousness is null && known < 4)
        {
            criteria.Add(Criteria.IcansLowerBoundConsciousnessUnknown);
            return LowerBound(known, criteria, warnings, assessment.Died, $"ICANS at least {known}; level of consciousness needed (C2-LB-1)");
        }

        return Graded(known, criteria, warnings, assessment.Died);
    }

    private static int? Ice(Assessment assessment, List<Criterion> criteria, List<Criterion> warnings)
    {
        if (assessment.CapdScore is not null)
        {
            warnings.Add(Criteria.IcansCapdNotUsed);
        }

        if (assessment.IceScore is not { } ice)
        {
            return null;
        }

        criteria.Add(Criteria.IcansIce[ice]);
        return AstctIcans.IceGrade(ice);
    }

    private static int? Capd(Assessment assessment, List<Criterion> criteria, List<Criterion> warnings)
    {
        if (assessment.IceScore is { } ice)
        {
            // C2-ICE-1 (a child's ICE and no CAPD) and C2-DD-1: the ICE is not used.
            warnings.Add(assessment.AgeYears >= IceFromAgeYears ? Criteria.IcansIceNotUsedDevelopmentalDelay
                : assessment.CapdScore is not null ? Criteria.IcansIceNotUsed
                : ice < IceGrade1From ? Criteria.IcansIceNotUsedUnder12Below7
                : Criteria.IcansIceNotUsedUnder12);
        }

        if (assessment.CapdScore is not { } capd)
        {
            return null;
        }

        criteria.Add(Criteria.IcansCapd[capd]);
        if (capd >= CapdPositive && assessment.BaselineCapd is { } baseline && capd <= baseline)
        {
            warnings.Add(Criteria.IcansWarningCapdAtBaseline); // C2-DD-1: check before grading 3
        }

        return AstctIcans.CapdGrade(capd);
    }

    private static ScaleResult<IcansGrade> LowerBound(int grade, List<Criterion> criteria, List<Criterion> warnings, bool died, string reason) =>
        died && grade >= 1
            ? Graded(grade, criteria, warnings, died)
            : new ScaleResult<IcansGrade>((IcansGrade)grade, criteria, RuleSet.Astct2019v2, reason, warnings, LowerBound: true);

    private static ScaleResult<IcansGrade> Graded(int grade, List<Criterion> criteria, List<Criterion> warnings, bool died)
    {
        if (died && grade >= 1)
        {
            criteria.Add(Criteria.IcansDeath); // R-ICANS-6, C-DTH-1
            grade = 5;
        }

        return new ScaleResult<IcansGrade>((IcansGrade)grade, criteria, RuleSet.Astct2019v2, null, warnings);
    }
}
