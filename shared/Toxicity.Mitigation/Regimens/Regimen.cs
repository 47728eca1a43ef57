namespace Toxicity.Mitigation.Regimens;

/// <summary>Whether a catalogue entry is a label regimen that advice may use, or investigational (shown, never advised).</summary>
public enum RegimenStatus
{
    Label,
    Investigational,
}

/// <summary>How a dose is given.</summary>
public enum Route
{
    Intravenous,
    ContinuousIntravenous,
    Subcutaneous,
    Oral,
}

/// <summary>What a scheduled administration is for.</summary>
public enum DoseRole
{
    /// <summary>A different drug given first (e.g. obinutuzumab before glofitamab).</summary>
    Pretreatment,
    StepUp,
    Full,
}

/// <summary>
/// An amount: fixed (<see cref="Value"/> <see cref="Unit"/>), or by body surface area (<see cref="PerSquareMetre"/>
/// <see cref="Unit"/>/m², capped at <see cref="Cap"/>: CLINICAL-RULES.md §5 "dose = min(rate × BSA, cap)"), or a range
/// the label gives (<see cref="RangeLow"/>-<see cref="RangeHigh"/> <see cref="Unit"/>, e.g. "50-100 mg"; then
/// <see cref="Value"/> is null and <see cref="For"/> gives null, because the label gives no single number).
/// </summary>
public sealed record Amount(double? Value, double? PerSquareMetre, double? Cap, string Unit, double? RangeLow = null, double? RangeHigh = null,
    double? PerKg = null)
{
    public static Amount Fixed(double value, string unit) => new(value, null, null, unit);

    public static Amount ByBsa(double perSquareMetre, double? cap, string unit) => new(null, perSquareMetre, cap, unit);

    /// <summary>
    /// By actual body weight: <paramref name="perKg"/> <paramref name="unit"/>/kg (e.g. teclistamab 1.5 mg/kg). The amount
    /// for a patient is weight × rate, unrounded: CLINICAL-RULES.md gives no rounding rule, so none is applied.
    /// </summary>
    public static Amount ByWeight(double perKg, string unit) => new(null, null, null, unit, PerKg: perKg);

    /// <summary>The amount for a patient: null when it depends on a body surface area or a weight that is not known.</summary>
    public double? For(double? bodySurfaceAreaM2, double? weightKg = null) =>
        Value
        ?? (bodySurfaceAreaM2 is { } bsa && PerSquareMetre is { } rate ? Math.Min(rate * bsa, Cap ?? double.MaxValue) : (double?)null)
        ?? (weightKg is { } weight && PerKg is { } perKg ? weight * perKg : null);
}

/// <summary>
/// A premedication (or post-medication) item for a dose: the drug and amount when the label gives them, else
/// <see cref="NotEncoded"/> says what to consult; when relative to the dose (<see cref="Timing"/>, e.g. "1 h before");
/// and when it applies only under a condition (e.g. "if CRS occurred with the previous dose").
/// <see cref="Alternatives"/> lists drugs the label allows instead of this one (e.g. "dexamethasone 20 mg or
/// methylprednisolone 80 mg"): one of them is given, not all.
/// </summary>
public sealed record Premedication(
    string Drug,
    Amount? Amount,
    string? Route,
    string Timing,
    string Source,
    string? Condition = null,
    string? NotEncoded = null,
    IReadOnlyList<Premedication>? Alternatives = null,
    Jurisdiction Jurisdiction = Jurisdiction.None);

/// <summary>A monitoring or hospitalisation requirement that comes with a dose (e.g. "hospitalise for 24 h after").</summary>
public sealed record Monitoring(string Requirement, string Source, string? Condition = null, Jurisdiction Jurisdiction = Jurisdiction.None);

/// <summary>
/// One scheduled administration (or, for a continuous infusion, one rate from <see cref="Day"/> through
/// <see cref="ThroughDay"/>) in cycles <see cref="FromCycle"/>-<see cref="ToCycle"/> (null: every later cycle).
/// </summary>
public sealed record DoseRule(
    int FromCycle,
    int? ToCycle,
    int Day,
    int? ThroughDay,
    string Drug,
    DoseRole Role,
    Amount Amount,
    string Label,
    string Source,
    string? Infusion = null,
    IReadOnlyList<Premedication>? Premedication = null,
    IReadOnlyList<Monitoring>? Monitoring = null,
    Jurisdiction Jurisdiction = Jurisdiction.None)
{
    public bool InCycle(int cycle) => cycle >= FromCycle && (ToCycle is null || cycle <= ToCycle);
}

/// <summary>The length of cycles <see cref="FromCycle"/>-<see cref="ToCycle"/> (null: every later cycle).</summary>
public sealed record CycleLength(int FromCycle, int? ToCycle, int Days);

/// <summary>
/// A row of a label's restart-after-delay table: when the last dose given was <see cref="LastDoseLabel"/> (a dose label
/// of the regimen; several planned doses may share it, e.g. "any weekly dose") and the time since it is more than
/// <see cref="MoreThan"/> (if set) and at most <see cref="AtMost"/> (if set), the label's <see cref="Action"/>. Bounds
/// the label states as "≥" or "&lt;" are encoded one tick lower and <see cref="Window"/> keeps the label's words.
/// What the action does to the calendar, for Mitigation to advise before the dose and re-anchor after it:
/// <list type="bullet">
/// <item><see cref="Give"/> null: give the next planned dose (late); the calendar re-anchors on the day it is given.</item>
/// <item><see cref="Give"/> set: give these planned doses (by label, found in the plan in order from its first dose), the
/// first now and the others spaced as in the plan; then the plan resumes at <see cref="ThenResume"/> (a dose label, found
/// after the last of them, or <see cref="NextCycle"/>; null: the planned dose after the last of them),
/// <see cref="ResumeAfter"/> after the last of them (null: the plan's spacing from the last of them to the dose after it).</item>
/// </list>
/// An <see cref="Action"/> that starts "Not encoded" sends the clinician to the label (a ❌ row): it never moves the calendar.
/// </summary>
public sealed record DelayRule(
    string LastDoseLabel,
    TimeSpan? MoreThan,
    TimeSpan? AtMost,
    string Window,
    string Action,
    bool RepeatsStepUp,
    string Source,
    IReadOnlyList<string>? Give = null,
    string? ThenResume = null,
    Jurisdiction Jurisdiction = Jurisdiction.None,
    TimeSpan? ResumeAfter = null)
{
    /// <summary><see cref="ThenResume"/>: Day 1 of the cycle after the one of the planned dose that was delayed.</summary>
    public const string NextCycle = "Day 1 of the next cycle";

    /// <summary>Whether the action is encoded (not a "Not encoded: consult the label" row).</summary>
    public bool Encoded => !Action.StartsWith("Not encoded", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="sinceLastDose"/> falls in this row's window.</summary>
    public bool Covers(TimeSpan sinceLastDose) =>
        (MoreThan is not { } lower || sinceLastDose > lower) && (AtMost is not { } upper || sinceLastDose <= upper);
}

/// <summary>
/// A regimen of the catalogue (CLINICAL-RULES.md §5): a drug in a setting, as data. Cycle 1 day 1 is the first day of
/// the first cycle; days count from 1 within each cycle. A label without cycles (<see cref="LabelCycles"/> false, e.g.
/// teclistamab's weekly dosing) is encoded with repeat units as its cycles (e.g. 7 days); its calendar names doses by
/// their day of treatment (<see cref="PlannedDose.DayOfTreatment"/>), not by cycle. <see cref="Jurisdiction"/> names the
/// labels under which the regimen is on label: a site of another jurisdiction does not plan it.
/// </summary>
public sealed record Regimen(
    string Id,
    string Drug,
    string Setting,
    RegimenStatus Status,
    Route Route,
    IReadOnlyList<CycleLength> Cycles,
    int? MaxCycles,
    IReadOnlyList<DoseRule> Doses,
    string Source,
    string? WeightRule = null,
    IReadOnlyList<DelayRule>? DelayRules = null,
    IReadOnlyList<string>? NotEncoded = null,
    Jurisdiction Jurisdiction = Jurisdiction.None,
    bool LabelCycles = true)
{
    /// <summary>The length in days of <paramref name="cycle"/>.</summary>
    public int LengthOf(int cycle) =>
        TryLengthOf(cycle) ?? throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"{Id} has no length for this cycle");

    /// <summary>The length in days of <paramref name="cycle"/>, or null when CLINICAL-RULES.md does not give it (❌: later cycles are not planned).</summary>
    public int? TryLengthOf(int cycle) =>
        Cycles.LastOrDefault(c => cycle >= c.FromCycle && (c.ToCycle is null || cycle <= c.ToCycle))?.Days;
}
