namespace Toxicity.Grading;

/// <summary>
/// ASTCT 2019 consensus ICANS grade (CLINICAL-RULES.md §2.6, implemented exactly): ICE for patients aged 12 and
/// over, CAPD for children under 12; the grade is the most severe domain.
/// source: S-ASTCT-c,d (adult table and footnotes); S-ASTCT-e,f (paediatric CAPD table, age rule).
/// </summary>
public static class AstctIcans
{
    // source: R-ICANS-7 (S-ASTCT-e): ICE from 12 years; CAPD below.
    private const double IceFromAgeYears = 12.0;

    // source: §2.4 (S-ASTCT-e): CAPD >= 9 is grade 3; 1-8 is grade 1 (C-ICANS-5 for 0).
    private const int CapdPositive = 9;

    private static readonly Criterion[] None = [];
    private static readonly Criterion[] IceNotUsed = [Criteria.IcansIceNotUsed];
    private static readonly Criterion[] CapdNotUsed = [Criteria.IcansCapdNotUsed];

    public static ScaleResult<IcansGrade> Evaluate(Assessment assessment)
    {
        var criteria = new List<Criterion>(4);
        var child = assessment.AgeYears < IceFromAgeYears;
        int? score;
        IReadOnlyList<Criterion> warnings;
        if (child)
        {
            score = assessment.CapdScore is { } capd ? CapdGrade(capd) : null;
            if (assessment.CapdScore is { } used)
            {
                criteria.Add(Criteria.IcansCapd[used]);
            }

            warnings = assessment.IceScore is null ? None : IceNotUsed;
        }
        else
        {
            score = assessment.IceScore is { } ice ? IceGrade(ice) : null;
            if (assessment.IceScore is { } used)
            {
                criteria.Add(Criteria.IcansIce[used]);
            }

            warnings = assessment.CapdScore is null ? None : CapdNotUsed;
        }

        var other = Math.Max(
            Math.Max(ConsciousnessGrade(assessment.Consciousness, criteria), SeizureGrade(assessment.Seizure, criteria)),
            Math.Max(MotorGrade(assessment.Motor, criteria), EdemaGrade(assessment.CerebralEdema, criteria)));

        int grade;
        if (score is null)
        {
            // C-ICANS-3: a missing score can hide up to grade 3, so only a domain at 3 or more decides.
            if (other < 3)
            {
                criteria.Add(Criteria.IcansScoreMissing);
                var reason = child ? "CAPD score missing for a child under 12 (C-ICANS-3)" : "ICE score missing for a patient aged 12 or over (C-ICANS-3)";
                return new ScaleResult<IcansGrade>(null, criteria, RuleSet.Astct2019, reason, warnings);
            }

            grade = other;
        }
        else
        {
            grade = Math.Max(score.Value, other); // R-ICANS-1: the most severe domain
        }

        if (assessment.Died && grade >= 1)
        {
            criteria.Add(Criteria.IcansDeath); // R-ICANS-6, C-DTH-1
            grade = 5;
        }

        return new ScaleResult<IcansGrade>((IcansGrade)grade, criteria, RuleSet.Astct2019, null, warnings);
    }

    // source: §2.2 (S-ASTCT-c,d): 10 -> 0; 7-9 -> 1; 3-6 -> 2; 0-2 -> 3 (4 comes from consciousness, R-ICANS-2).
    private static int IceGrade(int ice) => ice switch
    {
        10 => 0,
        >= 7 => 1,
        >= 3 => 2,
        _ => 3,
    };

    private static int CapdGrade(int capd) => capd switch
    {
        0 => 0,
        < CapdPositive => 1,
        _ => 3,
    };

    // source: §2.5; awakensSpontaneously contributes 0 (C-ICANS-1).
    private static int ConsciousnessGrade(Consciousness? consciousness, List<Criterion> criteria)
    {
        switch (consciousness)
        {
            case Consciousness.AwakensToVoice:
                criteria.Add(Criteria.IcansAwakensToVoice);
                return 2;
            case Consciousness.AwakensToTactile:
                criteria.Add(Criteria.IcansAwakensToTactile);
                return 3;
            case Consciousness.Unarousable:
                criteria.Add(Criteria.IcansUnarousable);
                return 4;
            case Consciousness.Stupor:
                criteria.Add(Criteria.IcansStupor);
                return 4;
            case Consciousness.Coma:
                criteria.Add(Criteria.IcansComa);
                return 4;
            default:
                return 0;
        }
    }

    private static int SeizureGrade(Seizure? seizure, List<Criterion> criteria)
    {
        switch (seizure)
        {
            case Seizure.FocalOrGeneralizedResolvedRapidly:
                criteria.Add(Criteria.IcansSeizureRapidlyResolving);
                return 3;
            case Seizure.NonConvulsiveOnEegResolvedWithIntervention:
                criteria.Add(Criteria.IcansSeizureNonConvulsiveEeg);
                return 3;
            case Seizure.ProlongedOver5MinOrRepetitive:
                criteria.Add(Criteria.IcansSeizureProlongedOrRepetitive);
                return 4;
            default:
                return 0;
        }
    }

    private static int MotorGrade(MotorFinding? motor, List<Criterion> criteria)
    {
        if (motor != MotorFinding.DeepFocalWeakness)
        {
            return 0;
        }

        criteria.Add(Criteria.IcansMotorDeepFocalWeakness);
        return 4;
    }

    private static int EdemaGrade(CerebralEdema? edema, List<Criterion> criteria)
    {
        switch (edema)
        {
            case CerebralEdema.FocalLocal:
                criteria.Add(Criteria.IcansFocalEdema);
                return 3;
            case CerebralEdema.Diffuse:
                criteria.Add(Criteria.IcansDiffuseEdema);
                return 4;
            case CerebralEdema.PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad:
                criteria.Add(Criteria.IcansPosturing);
                return 4;
            default:
                return 0;
        }
    }
}
