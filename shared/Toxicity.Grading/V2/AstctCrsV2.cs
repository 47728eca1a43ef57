namespace Toxicity.Grading.V2;

/// <summary>
/// ASTCT 2019 CRS grade under rule set <c>astct-2019/2</c> (CLINICAL-RULES.md §8): the /1 grade table (§1.1-§1.4,
/// shared with <see cref="AstctCrs"/>) with the §8 conventions. A hypotension or oxygen status that is not known makes
/// the grade a lower bound instead of counting as none (C2-LB-2); an old temperature cannot rule CRS out (C2-T2H-1);
/// hypotension or hypoxia without fever while premedication may mask it is possible CRS, provisional (C2-MASK-2,
/// C2-MASK-3, C2-DTH-2). Pure.
/// </summary>
public static class AstctCrsV2
{
    private static readonly Criterion[] None = [];

    public static ScaleResult<CrsGrade> Evaluate(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var components = Components.Of(assessment);
        var fever = assessment.TemperatureC is { } t && AstctCrs.IsFever(t);
        var confirmed = fever || assessment.FeverMaskedByTreatment || assessment.FeverEarlierInEpisode;
        var possibleEarlier = !confirmed && assessment.PossibleCrsEarlierInEpisode;

        if (!confirmed && !possibleEarlier)
        {
            return assessment.PremedicationMasked ? PossibleCrs(assessment, components) : NotPresent(assessment, components);
        }

        var criteria = new List<Criterion>(6);
        if (fever)
        {
            criteria.Add(Criteria.CrsFever);
        }

        if (assessment.FeverMaskedByTreatment)
        {
            criteria.Add(Criteria.CrsFeverMasked);
        }
        else if (!fever && assessment.FeverEarlierInEpisode)
        {
            criteria.Add(Criteria.CrsFeverEarlierInEpisode);
        }
        else if (possibleEarlier)
        {
            // C2-MASK-3: possible CRS graded >= 2 earlier in the episode is CRS under therapy until the episode closes.
            criteria.Add(Criteria.CrsPossibleMaskedFever);
        }

        if (assessment.Died)
        {
            criteria.Add(Criteria.CrsDeath);
            return new ScaleResult<CrsGrade>(CrsGrade.Grade5, criteria, RuleSet.Astct2019v2, null, None, Provisional: possibleEarlier);
        }

        criteria.AddRange(components.Criteria);
        if (assessment.FeverResolvedOver24hBeforeOnset && !assessment.FeverMaskedByTreatment)
        {
            criteria.Add(Criteria.CrsFeverResolvedOver24h); // C2-EP-1: a warning beside the grade, never a lower grade
        }

        var grade = Math.Max(1, components.Known); // R-CRS-4: the more severe event decides
        return Graded(grade, criteria, components, possibleEarlier);
    }

    /// <summary>C2-MASK-2: no fever, but premedication may mask it inside a post-dose risk window.</summary>
    private static ScaleResult<CrsGrade> PossibleCrs(Assessment assessment, Components components)
    {
        if (components.Known > 0)
        {
            List<Criterion> criteria = [Criteria.CrsPossibleMaskedFever];
            if (assessment.Died)
            {
                criteria.Add(Criteria.CrsDeath); // C2-DTH-2: 5, provisional, attribution by a clinician
                return new ScaleResult<CrsGrade>(CrsGrade.Grade5, criteria, RuleSet.Astct2019v2, null, None, Provisional: true);
            }

            criteria.AddRange(components.Criteria);
            return Graded(components.Known, criteria, components, provisional: true);
        }

        if (components.AllKnown)
        {
            return new ScaleResult<CrsGrade>(CrsGrade.None, [Criteria.CrsMaskedNoFinding], RuleSet.Astct2019v2, null, components.Warnings);
        }

        // Either status not reported: 0 as a lower bound, which is never shown as "0" (C2-LB-0), and an overdue notice.
        return new ScaleResult<CrsGrade>(CrsGrade.None, [Criteria.CrsPossibleMaskedFever, Criteria.CrsLowerBoundComponentsNotReported],
            RuleSet.Astct2019v2, components.NotReported(), components.Warnings, LowerBound: true);
    }

    /// <summary>No fever and nothing masks it: not CRS (R-CRS-2, C2-MASK-4), unless the temperature cannot tell.</summary>
    private static ScaleResult<CrsGrade> NotPresent(Assessment assessment, Components components)
    {
        if (components.Known > 0 && (assessment.TemperatureC is null || assessment.TemperatureBeforeOrganSupportOnset))
        {
            return new ScaleResult<CrsGrade>(null, [Criteria.CrsTemperatureNeededNow], RuleSet.Astct2019v2,
                "temperature needed now: hypotension or hypoxia without a temperature taken within 2 h of its onset (C2-T2H-1)", None);
        }

        return assessment.TemperatureC is null
            ? new ScaleResult<CrsGrade>(null, [Criteria.CrsTemperatureMissing], RuleSet.Astct2019v2,
                "no temperature, and no fever masked by treatment (C-CRS-2)", None)
            : new ScaleResult<CrsGrade>(CrsGrade.None, [Criteria.CrsNoFever], RuleSet.Astct2019v2, null, None);
    }

    private static ScaleResult<CrsGrade> Graded(int grade, List<Criterion> criteria, Components components, bool provisional)
    {
        var lowerBound = components.Upper > grade;
        if (lowerBound)
        {
            criteria.Add(Criteria.CrsLowerBoundComponentsNotReported);
        }

        return new ScaleResult<CrsGrade>((CrsGrade)grade, criteria, RuleSet.Astct2019v2, lowerBound ? components.NotReported() : null,
            components.Warnings, lowerBound, provisional);
    }

    /// <summary>
    /// The hypotension and hypoxia components: what is known (its grade and criteria, from the §1.3 tables), and the
    /// most an unknown one could give (C2-LB-2: 4, or 2 for hypotension when an empty vasopressor list was reported).
    /// </summary>
    internal sealed record Components(int? Hypotension, int? Oxygen, int HypotensionUpper, IReadOnlyList<Criterion> Criteria, IReadOnlyList<Criterion> Warnings)
    {
        public int Known => Math.Max(Hypotension ?? 0, Oxygen ?? 0);

        public int Upper => Math.Max(Hypotension ?? HypotensionUpper, Oxygen ?? 4);

        public bool AllKnown => Hypotension is not null && Oxygen is not null;

        public string NotReported() => (Hypotension, Oxygen) switch
        {
            (null, null) => "hypotension and oxygen status not reported (C2-LB-2)",
            (null, _) => "hypotension status not reported (C2-LB-2)",
            _ => "oxygen status not reported (C2-LB-2)",
        };

        public static Components Of(Assessment assessment)
        {
            var criteria = new List<Criterion>(2);
            int? hypotension = assessment.Hypotension is null ? null : AstctCrs.HypotensionGrade(assessment, criteria);
            IReadOnlyList<Criterion> warnings = None;
            int? oxygen = assessment.Oxygen is null ? null : AstctCrs.OxygenGrade(assessment, criteria, out warnings);
            return new Components(hypotension, oxygen, assessment.NoVasopressorRunning ? 2 : 4, criteria, warnings);
        }
    }
}
