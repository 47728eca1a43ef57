namespace Toxicity.Grading;

/// <summary>
/// ASTCT 2019 consensus ICANS grade, rule set <c>astct-2019/1</c> (frozen; CLINICAL-RULES.md §2.6, implemented exactly): ICE for patients aged 12 and
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
    internal static int IceGrade(int ice) => ice switch
    {
        10 => 0,
        >= 7 => 1,
        >= 3 => 2,
        _ => 3,
    };

    internal static int CapdGrade(int capd) => capd switch
    {
        0 => 0,
        < CapdPositive => 1,
        _ => 3,
    };

    // source: §2.5 (S-ASTCT-c,d,e): the grade and criterion of every value of the other domains, as data.
    // awakensSpontaneously contributes 0 (C-ICANS-1); so does alert, the value rule set /2 added (§8.1 R2-CON-1).
    private static readonly DomainRow[] ConsciousnessRows = DomainRow.Table<Consciousness>(
        (Consciousness.Alert, 0, null),
        (Consciousness.AwakensSpontaneously, 0, null),
        (Consciousness.AwakensToVoice, 2, Criteria.IcansAwakensToVoice),
        (Consciousness.AwakensToTactile, 3, Criteria.IcansAwakensToTactile),
        (Consciousness.Unarousable, 4, Criteria.IcansUnarousable),
        (Consciousness.Stupor, 4, Criteria.IcansStupor),
        (Consciousness.Coma, 4, Criteria.IcansComa));

    private static readonly DomainRow[] SeizureRows = DomainRow.Table<Seizure>(
        (Seizure.None, 0, null),
        (Seizure.FocalOrGeneralizedResolvedRapidly, 3, Criteria.IcansSeizureRapidlyResolving),
        (Seizure.NonConvulsiveOnEegResolvedWithIntervention, 3, Criteria.IcansSeizureNonConvulsiveEeg),
        (Seizure.ProlongedOver5MinOrRepetitive, 4, Criteria.IcansSeizureProlongedOrRepetitive));

    private static readonly DomainRow[] MotorRows = DomainRow.Table<MotorFinding>(
        (MotorFinding.None, 0, null),
        (MotorFinding.DeepFocalWeakness, 4, Criteria.IcansMotorDeepFocalWeakness));

    private static readonly DomainRow[] EdemaRows = DomainRow.Table<CerebralEdema>(
        (CerebralEdema.None, 0, null),
        (CerebralEdema.FocalLocal, 3, Criteria.IcansFocalEdema),
        (CerebralEdema.Diffuse, 4, Criteria.IcansDiffuseEdema),
        (CerebralEdema.PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad, 4, Criteria.IcansPosturing));

    private static int ConsciousnessGrade(Consciousness? value, List<Criterion> criteria) => value is { } v ? ConsciousnessRows[(int)v].Apply(criteria) : 0;

    internal static int SeizureGrade(Seizure? value, List<Criterion> criteria) => value is { } v ? SeizureRows[(int)v].Apply(criteria) : 0;

    internal static int MotorGrade(MotorFinding? value, List<Criterion> criteria) => value is { } v ? MotorRows[(int)v].Apply(criteria) : 0;

    internal static int EdemaGrade(CerebralEdema? value, List<Criterion> criteria) => value is { } v ? EdemaRows[(int)v].Apply(criteria) : 0;

    /// <summary>One value of a domain: its grade and the criterion it fires (none for a normal finding).</summary>
    internal readonly record struct DomainRow(int Grade, Criterion? Criterion)
    {
        public int Apply(List<Criterion> criteria)
        {
            if (Criterion is not null)
            {
                criteria.Add(Criterion);
            }

            return Grade;
        }

        /// <summary>A row for every value of <typeparamref name="TEnum"/>, indexed by value; a value without a row fails at start-up.</summary>
        public static DomainRow[] Table<TEnum>(params (TEnum Value, int Grade, Criterion? Criterion)[] rows)
            where TEnum : struct, Enum
        {
            var values = Enum.GetValues<TEnum>();
            var table = new DomainRow[values.Length];
            foreach (var value in values)
            {
                var index = Convert.ToInt32(value, null);
                var matches = rows.Where(r => r.Value.Equals(value)).ToArray();
                if (index != Array.IndexOf(values, value) || matches.Length != 1)
                {
                    throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} needs exactly one grading row, and values numbered from 0");
                }

                table[index] = new DomainRow(matches[0].Grade, matches[0].Criterion);
            }

            return table;
        }
    }
}
