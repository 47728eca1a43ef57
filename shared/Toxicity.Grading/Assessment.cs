namespace Toxicity.Grading;

/// <summary>Hypotension by what it needs (ASTCT grades by treatment, not by a pressure: CLINICAL-RULES.md C-CRS-5).</summary>
public enum Hypotension
{
    None,
    FluidResponsive,
    OneVasopressor,
    MultipleVasopressors,
}

/// <summary>The oxygen support a patient needs (CLINICAL-RULES.md §1.3).</summary>
public enum OxygenSupport
{
    None,
    LowFlowNasalCannula,
    HighFlowNasalCannula,
    Facemask,
    NonRebreather,
    Venturi,
    Cpap,
    Bipap,
    MechanicalVentilation,
}

/// <summary>
/// Level of consciousness (ICANS domain, CLINICAL-RULES.md §2.2 and §2.5). <see cref="Alert"/> (normal) came with rule
/// set <c>astct-2019/2</c> (§8.1 R2-CON-1): under it <see cref="AwakensSpontaneously"/> is grade 1; under the frozen
/// <c>astct-2019/1</c> both are 0 (C-ICANS-1). Appended last: the values keep their numbers.
/// </summary>
public enum Consciousness
{
    AwakensSpontaneously,
    AwakensToVoice,
    AwakensToTactile,
    Unarousable,
    Stupor,
    Coma,
    Alert,
}

/// <summary>Seizure findings (ICANS domain, CLINICAL-RULES.md §2.2).</summary>
public enum Seizure
{
    None,
    FocalOrGeneralizedResolvedRapidly,
    NonConvulsiveOnEegResolvedWithIntervention,
    ProlongedOver5MinOrRepetitive,
}

/// <summary>Motor findings (ICANS domain, CLINICAL-RULES.md §2.2).</summary>
public enum MotorFinding
{
    None,
    DeepFocalWeakness,
}

/// <summary>Raised intracranial pressure / cerebral oedema findings (ICANS domain, CLINICAL-RULES.md §2.2).</summary>
public enum CerebralEdema
{
    None,
    FocalLocal,
    Diffuse,
    PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad,
}

/// <summary>The ICE items (CLINICAL-RULES.md §2.1): 10 points, 10 is normal.</summary>
public readonly record struct IceItems(
    bool OrientationYear,
    bool OrientationMonth,
    bool OrientationCity,
    bool OrientationHospital,
    int NamedObjects,
    bool FollowsCommands,
    bool WritesStandardSentence,
    bool CountsBackwardsBy10)
{
    /// <summary>The ICE total: one point per item, one per named object (0-3).</summary>
    public int Total =>
        Point(OrientationYear) + Point(OrientationMonth) + Point(OrientationCity) + Point(OrientationHospital)
        + NamedObjects + Point(FollowsCommands) + Point(WritesStandardSentence) + Point(CountsBackwardsBy10);

    private static int Point(bool done) => done ? 1 : 0;
}

/// <summary>
/// One assessment snapshot: what the grading scales read. Null means "not assessed" and is never taken as
/// normal where the rules say so (CLINICAL-RULES.md C-CRS-2, C-ICANS-3). Values are assumed validated
/// (ranges, ICE items against the total) by the caller.
/// </summary>
public sealed record Assessment
{
    /// <summary>Age in years; picks ICE (≥ 12) or CAPD (&lt; 12): CLINICAL-RULES.md R-ICANS-7.</summary>
    public required double AgeYears { get; init; }

    public double? TemperatureC { get; init; }

    /// <summary>Fever was present and is now masked by antipyretic or anti-cytokine therapy (R-CRS-3).</summary>
    public bool FeverMaskedByTreatment { get; init; }

    /// <summary>
    /// Fever was present earlier in the patient's open episode (docs/grading-timeline.md T-5; project convention): CRS
    /// stays present until the episode resolves. Set only by the timeline; a single snapshot cannot know it.
    /// </summary>
    public bool FeverEarlierInEpisode { get; init; }

    public Hypotension? Hypotension { get; init; }

    /// <summary>With <see cref="Grading.Hypotension.MultipleVasopressors"/>: the second is vasopressin (C-CRS-4).</summary>
    public bool VasopressinOnlyAdded { get; init; }

    public OxygenSupport? Oxygen { get; init; }

    public double? OxygenFlowLPerMin { get; init; }

    public double? Fio2Percent { get; init; }

    /// <summary>The ICE total (0-10), given or computed from <see cref="IceItems"/>.</summary>
    public int? IceScore { get; init; }

    public int? CapdScore { get; init; }

    public Consciousness? Consciousness { get; init; }

    public Seizure? Seizure { get; init; }

    public MotorFinding? Motor { get; init; }

    public CerebralEdema? CerebralEdema { get; init; }

    public bool Died { get; init; }

    // Rule set astct-2019/2 (CLINICAL-RULES.md §8.1): read by the /2 scales only; the frozen /1 scales ignore them.

    /// <summary>The patient is sedated: consciousness and the score are not assessable (§8.1 C2-SED-1).</summary>
    public bool Sedated { get; init; }

    /// <summary>Baseline developmental delay: CAPD is the score domain at 12 years and over too (§8.1 C2-DD-1).</summary>
    public bool DevelopmentalDelay { get; init; }

    /// <summary>The patient's recorded baseline CAPD, if any (§8.1 C2-DD-1: a CAPD ≥ 9 not above it is flagged).</summary>
    public int? BaselineCapd { get; init; }

    /// <summary>
    /// Premedication, post-medication or prophylaxis may mask fever now, inside a post-dose risk window (§8.3
    /// C2-MASK-1, C2-CAL-1): hypotension or hypoxia without fever is possible CRS, provisional. Not the same as
    /// <see cref="FeverMaskedByTreatment"/> (therapy after CRS, R-CRS-3).
    /// </summary>
    public bool PremedicationMasked { get; init; }

    /// <summary>
    /// Possible CRS of grade ≥ 2 was graded earlier in the open episode (§8.3 C2-MASK-3): treated as CRS under therapy,
    /// still provisional, until the episode closes. Set only by the timeline.
    /// </summary>
    public bool PossibleCrsEarlierInEpisode { get; init; }

    /// <summary>
    /// With <see cref="Hypotension"/> not known: an empty vasopressor list was reported, so hypotension is at most
    /// fluid-responsive (§8.1 C2-LB-2). Set only by the timeline.
    /// </summary>
    public bool NoVasopressorRunning { get; init; }

    /// <summary>
    /// The temperature was taken more than 2 h before the onset of the hypotension or hypoxia, so it cannot rule CRS
    /// out (§8.1 C2-T2H-1). Set only by the timeline.
    /// </summary>
    public bool TemperatureBeforeOrganSupportOnset { get; init; }

    /// <summary>The hypotension or hypoxia began more than 24 h after the last fever, with no masking since (§8.4 C2-EP-1). Set only by the timeline.</summary>
    public bool FeverResolvedOver24hBeforeOnset { get; init; }

    /// <summary>A score was reported but is stale (its validity window passed), so the score domain is unknown (§8.2). Set only by the timeline.</summary>
    public bool ScoreStale { get; init; }
}
