namespace Toxicity.Grading;

/// <summary>
/// Every criterion and warning the scales can report, with its stable code (CLINICAL-RULES.md §7.3) and the
/// sentence shown to clinicians. Codes never change meaning; docs/grading-criteria.md lists them all.
/// </summary>
public static class Criteria
{
    // ASTCT CRS (CLINICAL-RULES.md §1)
    public static readonly Criterion CrsFever = new("crs.fever", "Fever: temperature ≥ 38.0 °C (R-CRS-1).");
    public static readonly Criterion CrsFeverMasked = new("crs.feverMasked",
        "Fever masked by antipyretic or anti-cytokine therapy after CRS: fever no longer required; grade driven by hypotension and hypoxia (R-CRS-3, C-CRS-3).");
    public static readonly Criterion CrsFeverEarlierInEpisode = new("crs.feverEarlierInEpisode",
        "Fever earlier in the open episode, none now and none masked: CRS still present until the episode resolves; grade driven by hypotension and hypoxia (R-CRS-2; timeline convention T-5, needs clinical sign-off).");
    public static readonly Criterion CrsNoFever = new("crs.noFever",
        "No fever (temperature < 38.0 °C) and none masked: not CRS under ASTCT, whatever the hypotension or hypoxia; look for other causes (R-CRS-2).");
    public static readonly Criterion CrsTemperatureMissing = new("crs.notGradable.temperatureMissing",
        "Not gradable: no temperature and no masked fever; absence of data is not absence of fever (C-CRS-2).");
    public static readonly Criterion CrsHypotensionFluidResponsive = new("crs.hypotension.fluidResponsive",
        "Hypotension not requiring vasopressors: grade 2 (§1.1).");
    public static readonly Criterion CrsHypotensionOneVasopressor = new("crs.hypotension.oneVasopressor",
        "Hypotension requiring one vasopressor: grade 3 (§1.1).");
    public static readonly Criterion CrsHypotensionOneVasopressorPlusVasopressin = new("crs.hypotension.oneVasopressorPlusVasopressin",
        "Hypotension requiring a vasopressor with vasopressin: grade 3 (§1.1, C-CRS-4).");
    public static readonly Criterion CrsHypotensionMultipleVasopressors = new("crs.hypotension.multipleVasopressors",
        "Hypotension requiring multiple vasopressors (excluding vasopressin): grade 4 (§1.1).");
    public static readonly Criterion CrsHypoxiaLowFlow = new("crs.hypoxia.lowFlowNasalCannula",
        "Hypoxia requiring low-flow nasal cannula (≤ 6 L/min) or blow-by oxygen: grade 2 (§1.1, R-CRS-5).");
    public static readonly Criterion CrsHypoxiaHighFlow = new("crs.hypoxia.highFlowNasalCannula",
        "Hypoxia requiring high-flow nasal cannula (> 6 L/min): grade 3 (§1.1).");
    public static readonly Criterion CrsHypoxiaNasalCannulaOver6 = new("crs.hypoxia.nasalCannulaOver6LPerMin",
        "Nasal cannula above 6 L/min counts as high flow, whatever the device field says: grade 3 (R-CRS-5).");
    public static readonly Criterion CrsHypoxiaFacemask = new("crs.hypoxia.facemask", "Hypoxia requiring a facemask: grade 3 (§1.1).");
    public static readonly Criterion CrsHypoxiaNonRebreather = new("crs.hypoxia.nonRebreather", "Hypoxia requiring a non-rebreather mask: grade 3 (§1.1).");
    public static readonly Criterion CrsHypoxiaVenturi = new("crs.hypoxia.venturi", "Hypoxia requiring a Venturi mask: grade 3 (§1.1).");
    public static readonly Criterion CrsHypoxiaPositivePressure = new("crs.hypoxia.positivePressure",
        "Hypoxia requiring positive pressure (CPAP, BiPAP, intubation and mechanical ventilation): grade 4 (§1.1).");
    public static readonly Criterion CrsDeath = new("crs.death",
        "Death recorded while CRS was present: grade 5; attribution to CRS to be confirmed by a clinician (R-CRS-6, C-DTH-1).");
    public static readonly Criterion CrsWarningHighFlowAtLowRate = new("crs.dataQuality.highFlowAtOrBelow6LPerMin",
        "High-flow nasal cannula reported with a flow ≤ 6 L/min: graded by the device (3); check the input (C-CRS-6).");

    // ASTCT ICANS (CLINICAL-RULES.md §2)
    public static readonly IReadOnlyList<Criterion> IcansIce = [.. Enumerable.Range(0, 11).Select(n => new Criterion($"icans.ice.{n}", IceSentence(n)))];
    public static readonly IReadOnlyList<Criterion> IcansCapd = [.. Enumerable.Range(0, 33).Select(n => new Criterion($"icans.capd.{n}", CapdSentence(n)))];
    public static readonly Criterion IcansAwakensToVoice = new("icans.consciousness.awakensToVoice", "Depressed level of consciousness, awakens to voice: grade 2 (§2.2).");
    public static readonly Criterion IcansAwakensToTactile = new("icans.consciousness.awakensToTactile",
        "Depressed level of consciousness, awakens only to tactile stimulus: grade 3 (§2.2).");
    public static readonly Criterion IcansUnarousable = new("icans.consciousness.unarousable",
        "Unarousable, or needs vigorous or repetitive tactile stimuli to arouse: grade 4 (§2.2, R-ICANS-2).");
    public static readonly Criterion IcansStupor = new("icans.consciousness.stupor", "Stupor: grade 4 (§2.2).");
    public static readonly Criterion IcansComa = new("icans.consciousness.coma", "Coma: grade 4 (§2.2).");
    public static readonly Criterion IcansSeizureRapidlyResolving = new("icans.seizure.rapidlyResolving",
        "Clinical seizure, focal or generalized, that resolved rapidly: grade 3 (§2.2).");
    public static readonly Criterion IcansSeizureNonConvulsiveEeg = new("icans.seizure.nonConvulsiveEeg",
        "Non-convulsive seizures on EEG that resolved with intervention: grade 3 (§2.2).");
    public static readonly Criterion IcansSeizureProlongedOrRepetitive = new("icans.seizure.prolongedOrRepetitive",
        "Life-threatening prolonged seizure (> 5 min), or repetitive seizures without return to baseline: grade 4 (§2.2).");
    public static readonly Criterion IcansMotorDeepFocalWeakness = new("icans.motor.deepFocalWeakness",
        "Deep focal motor weakness such as hemiparesis or paraparesis: grade 4 (§2.2).");
    public static readonly Criterion IcansFocalEdema = new("icans.icp.focalEdema", "Focal/local oedema on neuroimaging: grade 3 (§2.2).");
    public static readonly Criterion IcansDiffuseEdema = new("icans.icp.diffuseEdema", "Diffuse cerebral oedema on neuroimaging: grade 4 (§2.2).");
    public static readonly Criterion IcansPosturing = new("icans.icp.posturingCnVIPapilledemaCushing",
        "Decerebrate or decorticate posturing, cranial nerve VI palsy, papilledema or Cushing's triad: grade 4 (§2.2).");
    public static readonly Criterion IcansScoreMissing = new("icans.notGradable.scoreMissing",
        "Not gradable: the age-appropriate encephalopathy score (ICE from 12 years, CAPD under 12) is missing and no other domain reaches grade 3 (C-ICANS-3).");
    public static readonly Criterion IcansDeath = new("icans.death",
        "Death recorded while ICANS was present: grade 5; attribution to ICANS to be confirmed by a clinician (R-ICANS-6, C-DTH-1).");
    public static readonly Criterion IcansIceNotUsed = new("icans.scoreNotUsed.ice",
        "An ICE score was sent for a child under 12: not used; CAPD grades children under 12 (R-ICANS-7, C-ICANS-4).");
    public static readonly Criterion IcansCapdNotUsed = new("icans.scoreNotUsed.capd",
        "A CAPD score was sent for a patient aged 12 or over: not used; ICE grades from 12 years (R-ICANS-7, C-ICANS-4).");

    // Rule set astct-2019/2 (CLINICAL-RULES.md §8.5): added codes; the /1 codes above keep their meaning.
    public static readonly Criterion CrsPossibleMaskedFever = new("crs.possibleMaskedFever",
        "Possible CRS: premedication or prophylaxis may mask fever; if the picture is consistent with CRS, follow the CRS table; exclude other causes (e.g. infection). Clinician to confirm (§8.3 C2-MASK-2, provisional).");
    public static readonly Criterion CrsFeverResolvedOver24h = new("crs.feverResolvedOver24h",
        "Fever resolved > 24 h before this hypotension/hypoxia began, without antipyretic or anti-cytokine therapy: consider other causes (e.g. infection) before treating as CRS; the grade is not lowered (§8.4 C2-EP-1).");
    public static readonly Criterion CrsMaskedNoFinding = new("crs.maskedNoFinding",
        "Premedication or prophylaxis may mask fever, and neither hypotension nor hypoxia is present (both reported): grade 0 (§8.3 C2-MASK-2).");
    public static readonly Criterion CrsLowerBoundComponentsNotReported = new("crs.lowerBound.componentsNotReported",
        "CRS at least this grade: the hypotension or oxygen status is not reported (or no longer current) and could raise it (§8.1 C2-LB-2).");
    public static readonly Criterion CrsTemperatureNeededNow = new("crs.notGradable.temperatureNeededNow",
        "Not gradable: hypotension or hypoxia without a temperature taken within 2 h of its onset; an old temperature cannot rule CRS out. Temperature needed now (§8.1 C2-T2H-1).");
    public static readonly Criterion IcansAwakensSpontaneously = new("icans.consciousness.awakensSpontaneously",
        "Depressed level of consciousness, but awakens spontaneously (drowsy; not normal sleep, not sedation): grade 1 (§2.2, §8.1 R2-CON-1).");
    public static readonly Criterion IcansLowerBoundScoreMissing = new("icans.lowerBound.scoreMissing",
        "ICANS at least this grade: the age-appropriate score (ICE, or CAPD) is not reported and could raise it; ICE (or CAPD) needed (§8.1 C2-LB-1).");
    public static readonly Criterion IcansLowerBoundScoreStale = new("icans.lowerBound.scoreStale",
        "ICANS at least this grade: the last ICE (or CAPD) is no longer current and could raise it; ICE (or CAPD) needed (§8.1 C2-LB-1, §8.2).");
    public static readonly Criterion IcansLowerBoundConsciousnessUnknown = new("icans.lowerBound.consciousnessUnknown",
        "ICANS at least this grade: the level of consciousness is not reported (or no longer current) and could raise it (§8.1 C2-LB-1).");
    public static readonly Criterion IcansNotAssessableSedated = new("icans.notAssessable.sedated",
        "Not assessable under sedation: consciousness and ICE/CAPD cannot be graded while the patient is sedated; only a seizure, motor or oedema finding of grade ≥ 3 grades ICANS (§8.1 C2-SED-1, R-ICANS-3).");
    public static readonly Criterion IcansIceNotUsedUnder12 = new("icans.scoreNotUsed.iceUnder12",
        "ICE is not validated under 12: assess CAPD. The ICE sent is not used for grading (§8.1 C2-ICE-1, R-ICANS-7).");
    public static readonly Criterion IcansIceNotUsedUnder12Below7 = new("icans.scoreNotUsed.iceUnder12.urgent",
        "Urgent: an ICE below 7 was sent for a child under 12. ICE is not validated under 12 and is not used: assess CAPD now (§8.1 C2-ICE-1).");
    public static readonly Criterion IcansIceNotUsedDevelopmentalDelay = new("icans.scoreNotUsed.iceDevelopmentalDelay",
        "An ICE score was sent for a patient with baseline developmental delay: not used; CAPD is the score domain (§8.1 C2-DD-1, R-ICANS-7).");
    public static readonly Criterion IcansWarningCapdAtBaseline = new("icans.warning.capdAtBaseline",
        "CAPD at baseline: this CAPD of 9 or more is not above the patient's recorded baseline CAPD; check before grading 3 (§8.1 C2-DD-1).");
    public static readonly Criterion CtcaePossibleMaskedFever = new("ctcae.crs.possibleMaskedFever",
        "Possible CRS under premedication (presence gate of astct-2019/2): graded from hypotension and hypoxia, provisional; clinician to confirm (§8.3, §8.5).");
    public static readonly Criterion CtcaeLowerBoundComponentsNotReported = new("ctcae.crs.lowerBound.componentsNotReported",
        "CTCAE grade at least this: the hypotension or oxygen status is not reported and could raise it (§8.1 C2-LB-2, §8.5).");

    // CTCAE v5.0 CRS (CLINICAL-RULES.md §3, convention C-CTC-1)
    public static readonly Criterion CtcaeFever = new("ctcae.crs.fever", "Fever with or without constitutional symptoms: grade 1 (§3.1).");
    public static readonly Criterion CtcaeNoFever = new("ctcae.crs.noFever", "CRS not present (same gate as ASTCT): grade 0 (C-CTC-1).");
    public static readonly Criterion CtcaeTemperatureMissing = new("ctcae.crs.notGradable.temperatureMissing",
        "Not gradable: no temperature and no masked fever (C-CRS-2, C-CTC-1).");
    public static readonly Criterion CtcaeHypotensionFluids = new("ctcae.crs.hypotension.respondingToFluids", "Hypotension responding to fluids: grade 2 (§3.1).");
    public static readonly Criterion CtcaeHypotensionOnePressor = new("ctcae.crs.hypotension.onePressor", "Hypotension managed with one pressor: grade 3 (§3.1).");
    public static readonly Criterion CtcaeHypotensionMultiplePressors = new("ctcae.crs.hypotension.multiplePressors",
        "Hypotension needing more than one pressor: grade 3 or 4 (life-threatening is a clinician's judgement; C-CTC-1).");
    public static readonly Criterion CtcaeOxygenBelow40 = new("ctcae.crs.hypoxia.fio2Below40", "Hypoxia responding to < 40% O₂: grade 2 (§3.1).");
    public static readonly Criterion CtcaeOxygenAtLeast40 = new("ctcae.crs.hypoxia.fio2AtLeast40", "Hypoxia requiring ≥ 40% O₂: grade 3 (§3.1).");
    public static readonly Criterion CtcaeOxygenFio2Unknown = new("ctcae.crs.hypoxia.fio2Unknown",
        "Oxygen without FiO₂: grade 2 or 3 (no flow-to-FiO₂ conversion is applied; C-CTC-1).");
    public static readonly Criterion CtcaePositivePressure = new("ctcae.crs.hypoxia.positivePressure",
        "Positive-pressure support: up to grade 4 (life-threatening is a clinician's judgement; C-CTC-1).");
    public static readonly Criterion CtcaeDeath = new("ctcae.crs.death", "Death while CRS was present: grade 5 (§3.1, C-DTH-1).");

    /// <summary>The <c>ctcae.crs.range.&lt;lo&gt;-&lt;hi&gt;</c> criterion of an undecidable CTCAE grade.</summary>
    public static Criterion CtcaeRange(int low, int high) => CtcaeRanges[low, high];

    /// <summary>Every criterion and warning above, for documentation and its test.</summary>
    public static IEnumerable<Criterion> All =>
        typeof(Criteria).GetFields()
            .SelectMany(f => f.GetValue(null) switch
            {
                Criterion c => [c],
                IReadOnlyList<Criterion> list => list,
                _ => [],
            })
            .Concat(from low in Enumerable.Range(0, 5) from high in Enumerable.Range(low + 1, 5 - low) select CtcaeRanges[low, high]);

    private static readonly Criterion[,] CtcaeRanges = BuildRanges();

    private static Criterion[,] BuildRanges()
    {
        var ranges = new Criterion[6, 6];
        for (var low = 0; low <= 5; low++)
        {
            for (var high = low; high <= 5; high++)
            {
                ranges[low, high] = new Criterion($"ctcae.crs.range.{low}-{high}",
                    $"CTCAE grade between {low} and {high}: needs FiO₂ or a clinician's judgement, so it is not determined (C-CTC-1).");
            }
        }

        return ranges;
    }

    private static string IceSentence(int score) => score switch
    {
        10 => "ICE 10/10: no encephalopathy on ICE (§2.2).",
        >= 7 => $"ICE {score}/10 (7-9): grade 1 (§2.2).",
        >= 3 => $"ICE {score}/10 (3-6): grade 2 (§2.2).",
        _ => $"ICE {score}/10 (0-2): grade 3; grade 4 comes from the patient being unarousable (§2.2, R-ICANS-2).",
    };

    private static string CapdSentence(int score) => score switch
    {
        0 => "CAPD 0: no delirium on CAPD (C-ICANS-5).",
        < 9 => $"CAPD {score} (1-8): grade 1, or 2 when the child awakens only to voice (§2.4).",
        _ => $"CAPD {score} (≥ 9): grade 3 (§2.4).",
    };
}
