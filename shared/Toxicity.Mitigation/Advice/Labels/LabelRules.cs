using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// The label rules of one drug (CLINICAL-RULES.md §5): what its label says when a grade rises, when an infusion is
/// interrupted or restarted, and what to consult when a delayed dose matches no restart rule. A row the file marks ❌
/// gives a "Not encoded: consult …" item, never a guessed action.
/// </summary>
internal abstract class LabelRules
{
    private static readonly LabelRules[] Known =
        [
            new BlinatumomabRules(), new GlofitamabRules(), new MosunetuzumabRules(), new EpcoritamabRules(), new OdronextamabRules(),
            new TeclistamabRules(), new ElranatamabRules(), new TalquetamabRules(), new LinvoseltamabRules(), new TarlatamabRules(),
            new TebentafuspRules(),
        ];

    /// <summary>The drug, lower case, as <c>Regimen.Drug</c> spells it.</summary>
    public abstract string Drug { get; }

    /// <summary>How the text names the label, e.g. "blinatumomab (Blincyto)".</summary>
    public abstract string Label { get; }

    /// <summary>The section of CLINICAL-RULES.md, e.g. "§5.1".</summary>
    public abstract string Section { get; }

    /// <summary>Whose label this drug's rows reproduce unless a row says otherwise (CLINICAL-RULES.md §5.13).</summary>
    public abstract Jurisdiction Jurisdiction { get; }

    /// <summary>The scale the label writes its CRS rows on (issue 15): they fire on that scale's grade change.</summary>
    public virtual LabelScale CrsScale => LabelScale.AstctCrs;

    /// <summary>The scale the label writes its neurologic rows on; a CTCAE neurotoxicity row fires on ICANS, with a note.</summary>
    public virtual LabelScale NeuroScale => LabelScale.AstctIcans;

    /// <summary>The rules for <paramref name="drug"/>: a known drug of §5, or a drug §5 has no rules for.</summary>
    public static LabelRules For(string drug) =>
        Array.Find(Known, r => string.Equals(r.Drug, drug, StringComparison.OrdinalIgnoreCase)) ?? new UnknownDrugRules(drug);

    /// <summary>Label advice when the grade of <paramref name="scale"/> rose to <paramref name="grade"/> (1-4).</summary>
    public abstract IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria);

    /// <summary>Label advice when the infusion was interrupted: the withhold rows §5 states, and what to consult.</summary>
    public virtual IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [NotEncodedItem("interruption.not-encoded", $"the {Label} label for interrupting and resuming treatment.")];

    /// <summary>Label advice when the infusion restarts after <paramref name="interruption"/>.</summary>
    public virtual IEnumerable<Advice> OnRestarted(PatientContext patient, TimeSpan interruption) =>
        [NotEncodedItem("restart.not-encoded", $"the {Label} label for restarting after an interruption "
            + $"(here {Wording.Duration(interruption)}).")];

    /// <summary>
    /// Where the label asks CRS to have resolved for a time before the next dose: the item saying not to give it yet, CRS
    /// having resolved at <paramref name="resolvedAt"/> (null: the label says only "until it resolves", or the time has passed).
    /// </summary>
    public virtual Advice? AfterResolvedCrs(DateTimeOffset resolvedAt, DateTimeOffset now) => null;

    /// <summary>What a delayed dose that matches no restart rule of the regimen should consult.</summary>
    public virtual string DelayConsult => $"the {Label} label's restart/delay table.";

    /// <summary>An item "&lt;drug&gt;.&lt;suffix&gt;" citing this drug's section, of this drug's jurisdiction unless told.</summary>
    protected Advice Item(string codeSuffix, string text, string ids, string? extraSections = null, Jurisdiction? jurisdiction = null) =>
        new($"{Drug}.{codeSuffix}", text, Wording.Cite(extraSections is null ? Section : $"{Section}, {extraSections}", ids), jurisdiction ?? Jurisdiction);

    /// <summary>"Per the &lt;label&gt; label (clinician to confirm): …".</summary>
    protected Advice LabelItem(string codeSuffix, string text, string ids, string? extraSections = null, Jurisdiction? jurisdiction = null) =>
        Item(codeSuffix, Wording.PerLabel(Label, text), ids, extraSections, jurisdiction);

    /// <summary>
    /// "Not encoded: consult …" for a ❌ row or a gap of this drug's section: shown at every site (each consults its own
    /// label) unless <paramref name="jurisdiction"/> names the one label it sends to.
    /// </summary>
    protected Advice NotEncodedItem(string codeSuffix, string consult, string ids = "❌ not read", Jurisdiction jurisdiction = Jurisdiction.Neutral) =>
        Item(codeSuffix, Wording.NotEncoded(consult), ids, jurisdiction: jurisdiction);
}

/// <summary>A drug CLINICAL-RULES.md §5 has no rules for: every event sends the clinician to its label.</summary>
internal sealed class UnknownDrugRules(string drug) : LabelRules
{
    public override string Drug { get; } = drug;

    public override string Label => Drug;

    public override string Section => "§5";

    public override Jurisdiction Jurisdiction => Jurisdiction.Neutral;

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria) =>
        [new("label.not-encoded", Wording.NotEncoded($"the {Drug} label: CLINICAL-RULES.md §5 has no rules for this drug."),
            Wording.Cite("§5, §5.6", "no source for this drug"))];
}
