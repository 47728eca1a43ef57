namespace Toxicity.Grading;

/// <summary>
/// ASTCT 2019 consensus CRS grade, rule set <c>astct-2019/1</c> (frozen; CLINICAL-RULES.md §1.4, implemented exactly).
/// source: S-ASTCT-a,b (grade table, masked fever, more severe event, ≤ 6 / > 6 L/min); S-ASTCT-g,i (grade 5).
/// </summary>
public static class AstctCrs
{
    // source: R-CRS-1 (S-ASTCT-a,b): fever is a temperature >= 38.0 °C, compared raw, never rounded (C-CRS-1).
    private const double FeverThresholdC = 38.0;

    // source: R-CRS-5 (S-ASTCT-a,b): low-flow nasal cannula is <= 6 L/min; above it is high flow.
    private const double LowFlowMaxLPerMin = 6.0;

    private static readonly Criterion[] None = [];
    private static readonly ScaleResult<CrsGrade> TemperatureMissing = new(
        null, [Criteria.CrsTemperatureMissing], RuleSet.Astct2019, "no temperature, and no fever masked by treatment (C-CRS-2)", None);
    private static readonly ScaleResult<CrsGrade> NoCrs = new(CrsGrade.None, [Criteria.CrsNoFever], RuleSet.Astct2019, null, None);
    private static readonly Criterion[] HighFlowWarning = [Criteria.CrsWarningHighFlowAtLowRate];

    /// <summary>Whether a temperature is a fever under ASTCT (R-CRS-1).</summary>
    public static bool IsFever(double temperatureC) => temperatureC >= FeverThresholdC;

    /// <summary>Whether CRS is present: fever now, fever masked by treatment (R-CRS-2, R-CRS-3), or fever earlier in the open episode (T-5).</summary>
    internal static bool IsPresent(Assessment assessment, out bool fever)
    {
        fever = assessment.TemperatureC is { } t && IsFever(t);
        return fever || assessment.FeverMaskedByTreatment || assessment.FeverEarlierInEpisode;
    }

    public static ScaleResult<CrsGrade> Evaluate(Assessment assessment)
    {
        if (!IsPresent(assessment, out var fever))
        {
            return assessment.TemperatureC is null ? TemperatureMissing : NoCrs;
        }

        var criteria = new List<Criterion>(4);
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

        if (assessment.Died)
        {
            criteria.Add(Criteria.CrsDeath);
            return new ScaleResult<CrsGrade>(CrsGrade.Grade5, criteria, RuleSet.Astct2019, null, None);
        }

        var hypotension = HypotensionGrade(assessment, criteria);
        var oxygen = OxygenGrade(assessment, criteria, out var warnings);
        var grade = Math.Max(1, Math.Max(hypotension, oxygen)); // R-CRS-4: the more severe event decides
        return new ScaleResult<CrsGrade>((CrsGrade)grade, criteria, RuleSet.Astct2019, null, warnings);
    }

    internal static int HypotensionGrade(Assessment assessment, List<Criterion> criteria)
    {
        switch (assessment.Hypotension)
        {
            case Hypotension.FluidResponsive:
                criteria.Add(Criteria.CrsHypotensionFluidResponsive);
                return 2;
            case Hypotension.OneVasopressor:
                criteria.Add(Criteria.CrsHypotensionOneVasopressor);
                return 3;
            case Hypotension.MultipleVasopressors when assessment.VasopressinOnlyAdded:
                // C-CRS-4: "a vasopressor with or without vasopressin" is grade 3.
                criteria.Add(Criteria.CrsHypotensionOneVasopressorPlusVasopressin);
                return 3;
            case Hypotension.MultipleVasopressors:
                criteria.Add(Criteria.CrsHypotensionMultipleVasopressors);
                return 4;
            default:
                return 0;
        }
    }

    internal static int OxygenGrade(Assessment assessment, List<Criterion> criteria, out IReadOnlyList<Criterion> warnings)
    {
        warnings = None;
        switch (assessment.Oxygen)
        {
            case OxygenSupport.LowFlowNasalCannula when assessment.OxygenFlowLPerMin > LowFlowMaxLPerMin:
                criteria.Add(Criteria.CrsHypoxiaNasalCannulaOver6);
                return 3;
            case OxygenSupport.LowFlowNasalCannula:
                criteria.Add(Criteria.CrsHypoxiaLowFlow);
                return 2;
            case OxygenSupport.HighFlowNasalCannula:
                if (assessment.OxygenFlowLPerMin <= LowFlowMaxLPerMin)
                {
                    warnings = HighFlowWarning; // C-CRS-6: grade by the device, flag the contradiction
                }

                criteria.Add(Criteria.CrsHypoxiaHighFlow);
                return 3;
            case OxygenSupport.Facemask:
                criteria.Add(Criteria.CrsHypoxiaFacemask);
                return 3;
            case OxygenSupport.NonRebreather:
                criteria.Add(Criteria.CrsHypoxiaNonRebreather);
                return 3;
            case OxygenSupport.Venturi:
                criteria.Add(Criteria.CrsHypoxiaVenturi);
                return 3;
            case OxygenSupport.Cpap or OxygenSupport.Bipap or OxygenSupport.MechanicalVentilation:
                criteria.Add(Criteria.CrsHypoxiaPositivePressure);
                return 4;
            default:
                return 0;
        }
    }
}
