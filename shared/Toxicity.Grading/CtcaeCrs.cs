namespace Toxicity.Grading;

/// <summary>
/// CTCAE v5.0 "Cytokine release syndrome", rule set <c>ctcae-5.0-crs/1</c> (frozen), computed by the project convention C-CTC-1 (CLINICAL-RULES.md §3.2):
/// each component gives a range of grades, and a grade is reported only when the ranges decide it; otherwise the
/// grade is null and the range says why. source: S-CTCAE5-a.
/// </summary>
public static class CtcaeCrs
{
    // source: §3.1 (S-CTCAE5-a): hypoxia responding to < 40% O2 is grade 2; requiring >= 40% is grade 3.
    private const double Fio2Threshold = 40.0;

    private static readonly Criterion[] None = [];
    private static readonly ScaleResult<CrsGrade> TemperatureMissing = new(
        null, [Criteria.CtcaeTemperatureMissing], RuleSet.Ctcae5Crs, "no temperature, and no fever masked by treatment (C-CRS-2)", None);
    private static readonly ScaleResult<CrsGrade> NoCrs = new(CrsGrade.None, [Criteria.CtcaeNoFever], RuleSet.Ctcae5Crs, null, None);

    public static ScaleResult<CrsGrade> Evaluate(Assessment assessment)
    {
        if (!AstctCrs.IsPresent(assessment, out _))
        {
            return assessment.TemperatureC is null ? TemperatureMissing : NoCrs;
        }

        var criteria = new List<Criterion>(4) { Criteria.CtcaeFever };
        if (assessment.Died)
        {
            criteria.Add(Criteria.CtcaeDeath);
            return new ScaleResult<CrsGrade>(CrsGrade.Grade5, criteria, RuleSet.Ctcae5Crs, null, None);
        }

        var (hypotensionLow, hypotensionHigh) = HypotensionRange(assessment.Hypotension, criteria);
        var (oxygenLow, oxygenHigh) = OxygenRange(assessment, criteria);
        var low = Math.Max(1, Math.Max(hypotensionLow, oxygenLow));
        var high = Math.Max(1, Math.Max(hypotensionHigh, oxygenHigh));
        if (low == high)
        {
            return new ScaleResult<CrsGrade>((CrsGrade)low, criteria, RuleSet.Ctcae5Crs, null, None);
        }

        criteria.Add(Criteria.CtcaeRange(low, high));
        return new ScaleResult<CrsGrade>(null, criteria, RuleSet.Ctcae5Crs,
            $"CTCAE grade between {low} and {high}; needs FiO₂ / clinician judgement (C-CTC-1)", None);
    }

    internal static (int Low, int High) HypotensionRange(Hypotension? hypotension, List<Criterion> criteria)
    {
        switch (hypotension)
        {
            case Hypotension.FluidResponsive:
                criteria.Add(Criteria.CtcaeHypotensionFluids);
                return (2, 2);
            case Hypotension.OneVasopressor:
                criteria.Add(Criteria.CtcaeHypotensionOnePressor);
                return (3, 3);
            case Hypotension.MultipleVasopressors:
                // CTCAE has no vasopressin exception; "life-threatening" is a clinician's call.
                criteria.Add(Criteria.CtcaeHypotensionMultiplePressors);
                return (3, 4);
            default:
                return (0, 0);
        }
    }

    internal static (int Low, int High) OxygenRange(Assessment assessment, List<Criterion> criteria)
    {
        if (assessment.Oxygen is null or OxygenSupport.None)
        {
            return (0, 0);
        }

        var positivePressure = assessment.Oxygen is OxygenSupport.Cpap or OxygenSupport.Bipap or OxygenSupport.MechanicalVentilation;
        if (positivePressure)
        {
            criteria.Add(Criteria.CtcaePositivePressure);
        }

        // No flow-to-FiO2 conversion is applied (C-CTC-1 point 4).
        if (assessment.Fio2Percent is not { } fio2)
        {
            criteria.Add(Criteria.CtcaeOxygenFio2Unknown);
            return positivePressure ? (2, 4) : (2, 3);
        }

        var atLeast40 = fio2 >= Fio2Threshold;
        criteria.Add(atLeast40 ? Criteria.CtcaeOxygenAtLeast40 : Criteria.CtcaeOxygenBelow40);
        var low = atLeast40 ? 3 : 2;
        return positivePressure ? (low, 4) : (low, low);
    }
}
