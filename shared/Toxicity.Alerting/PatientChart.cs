namespace Toxicity.Alerting;

/// <summary>One charting of vital signs as the patient chart plots it (docs/alerting.md "The patient chart").</summary>
public sealed record ChartVitals(
    Guid EventId,
    DateTimeOffset At,
    double? TemperatureC,
    int? SystolicMmHg,
    int? DiastolicMmHg,
    int? MeanArterialMmHg,
    int? SpO2Percent,
    string? OxygenDevice,
    double? OxygenFlowLPerMin,
    double? Fio2Percent,
    IReadOnlyList<string> Vasopressors,
    bool? Hypotensive) : IChartItem;

/// <summary>One neurological assessment: ICE (adults) or CAPD (children, developmental delay), consciousness, sedation.</summary>
public sealed record ChartNeuro(Guid EventId, DateTimeOffset At, int? IceScore, int? CapdScore, string? Consciousness, bool? Sedated) : IChartItem;

/// <summary>A treatment given: a bispecific dose, premedication, tocilizumab, a corticosteroid, an antipyretic, an infusion interrupted or restarted.</summary>
public sealed record ChartTreatment(Guid EventId, DateTimeOffset At, string Kind, string? Drug, double? Dose, string? DoseUnit) : IChartItem;

/// <summary>A grade published for one scale (<c>crs</c> or <c>icans</c>), holding from <see cref="At"/>, with rule set /2's marks.</summary>
public sealed record ChartGrade(Guid EventId, DateTimeOffset At, int Grade, bool LowerBound, bool Provisional, bool Stale, IReadOnlyList<string> Criteria) : IChartItem;

/// <summary>Advice Mitigation gave, each item with its citation.</summary>
public sealed record ChartAdvice(Guid EventId, DateTimeOffset At, IReadOnlyList<ChartAdviceItem> Items) : IChartItem;

/// <summary>One piece of advice: its code, its text for a clinician to confirm, its source.</summary>
public sealed record ChartAdviceItem(string Code, string Text, string Source);

/// <summary>
/// A reading the ward owed (C2-OD-1) from <see cref="Since"/> until <see cref="Until"/> (null: still owed), and why
/// (<c>stale</c>, <c>notReported</c>, <c>unconfirmed</c>, <c>neededNow</c>).
/// </summary>
public sealed record ChartOverdue(string Reading, DateTimeOffset Since, DateTimeOffset? Until, string? Reason);

/// <summary>A stretch of one grade on the chart: from, to, the number and its marks.</summary>
public sealed record GradeBand(DateTimeOffset From, DateTimeOffset To, int Grade, bool LowerBound, bool Provisional, bool Stale, IReadOnlyList<string> Criteria);

/// <summary>What the chart of one patient shows over [<see cref="From"/>, <see cref="To"/>].</summary>
public sealed record ChartView(
    string PatientId,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ChartVitals> Vitals,
    IReadOnlyList<ChartNeuro> Neuro,
    IReadOnlyList<ChartTreatment> Treatments,
    IReadOnlyList<GradeBand> Crs,
    IReadOnlyList<GradeBand> Icans,
    IReadOnlyList<ChartAdvice> Advice,
    IReadOnlyList<ChartOverdue> Overdue);

/// <summary>What every charted item has: the id of the event it came from, and the clinical time it is plotted at.</summary>
public interface IChartItem
{
    Guid EventId { get; }

    DateTimeOffset At { get; }
}

/// <summary>
/// One patient's timeline for the chart, bounded by time and by count: items in clinical-time order (a late
/// observation goes in its place, a redelivered event is kept once), items older than the retention dropped by
/// <see cref="Prune"/> except the grade in effect at its start, at most <see cref="MaxItems"/> of each kind.
/// Pure: no clock of its own, the caller says what "now" is.
/// </summary>
public sealed class PatientChart
{
    /// <summary>The most items of one kind a chart keeps (the oldest go first): a reading every 2 minutes for 72 h, far above any ward's rate.</summary>
    public const int MaxItems = 2_160;

    public List<ChartVitals> Vitals { get; init; } = [];

    public List<ChartNeuro> Neuro { get; init; } = [];

    public List<ChartTreatment> Treatments { get; init; } = [];

    public List<ChartGrade> Crs { get; init; } = [];

    public List<ChartGrade> Icans { get; init; } = [];

    public List<ChartAdvice> Advice { get; init; } = [];

    public List<ChartOverdue> Overdue { get; init; } = [];

    /// <summary>Puts <paramref name="item"/> in its place by time; false when the same event is already there.</summary>
    public static bool Insert<T>(List<T> items, T item)
        where T : IChartItem
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(item);
        var index = items.Count;
        while (index > 0 && items[index - 1].At > item.At)
        {
            index--;
        }

        for (var same = index - 1; same >= 0 && items[same].At == item.At; same--)
        {
            if (items[same].EventId == item.EventId)
            {
                return false;
            }
        }

        items.Insert(index, item);
        if (items.Count > MaxItems)
        {
            items.RemoveAt(0);
        }

        return true;
    }

    /// <summary>A reading owed (<c>overdue</c>, <c>stillOverdue</c>) or no longer owed (<c>cleared</c>) at <paramref name="at"/>.</summary>
    public void Owed(string reading, string status, DateTimeOffset since, string? reason, DateTimeOffset at)
    {
        var open = Overdue.FindLastIndex(o => o.Reading == reading && o.Until is null);
        if (status == "cleared")
        {
            if (open >= 0)
            {
                Overdue[open] = Overdue[open] with { Until = at };
            }

            return;
        }

        if (open >= 0)
        {
            Overdue[open] = Overdue[open] with { Reason = reason ?? Overdue[open].Reason };
            return;
        }

        Overdue.Add(new ChartOverdue(reading, since, null, reason));
        if (Overdue.Count > MaxItems)
        {
            Overdue.RemoveAt(0);
        }
    }

    /// <summary>
    /// Drops what ended before <paramref name="horizon"/>: readings, doses and advice older than it, owed readings
    /// cleared before it, and every grade but the last one before it (the grade in effect when the chart begins).
    /// </summary>
    public void Prune(DateTimeOffset horizon)
    {
        DropBefore(Vitals, horizon);
        DropBefore(Neuro, horizon);
        DropBefore(Treatments, horizon);
        DropBefore(Advice, horizon);
        if (Overdue.Count > 0 && Overdue[0].Since < horizon)
        {
            Overdue.RemoveAll(o => o.Until < horizon);
        }

        KeepFrom(Crs, horizon);
        KeepFrom(Icans, horizon);
    }

    /// <summary>Whether nothing but grade 0 is left: a chart of nothing but an exact grade 0 shows what no chart shows.</summary>
    public bool ShowsNothing() =>
        Vitals.Count == 0 && Neuro.Count == 0 && Treatments.Count == 0 && Advice.Count == 0 && Overdue.Count == 0
        && Crs.TrueForAll(NoGrade) && Icans.TrueForAll(NoGrade);

    /// <summary>
    /// How far past "now" an item may be timed and still be shown: the future skew Ingestion accepts for a clinical
    /// time (a device clock a little ahead of the server's), so that a reading just charted is never hidden.
    /// </summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromMinutes(5);

    /// <summary>What the chart shows over [<paramref name="from"/>, <paramref name="to"/>] (items up to <see cref="Ahead"/> after it too).</summary>
    public ChartView View(string patientId, DateTimeOffset from, DateTimeOffset to) => new(
        patientId,
        from,
        to,
        [.. Within(Vitals, from, to + Ahead)],
        [.. Within(Neuro, from, to + Ahead)],
        [.. Within(Treatments, from, to + Ahead)],
        Bands(Crs, from, to),
        Bands(Icans, from, to),
        [.. Within(Advice, from, to + Ahead)],
        [.. Overdue.Where(o => o.Since <= to && (o.Until ?? to) >= from)]);

    /// <summary>
    /// The grades as bands over the window: the grade in effect at its start (grade 0 when none was ever published),
    /// then each published grade until the next one, the last until <paramref name="to"/>.
    /// </summary>
    public static IReadOnlyList<GradeBand> Bands(IReadOnlyList<ChartGrade> grades, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(grades);
        var bands = new List<GradeBand>();
        var current = grades.LastOrDefault(g => g.At <= from);
        var start = from;
        foreach (var next in grades.Where(g => g.At > from && g.At <= to))
        {
            Add(start, next.At);
            (current, start) = (next, next.At);
        }

        Add(start, to);
        return bands;

        void Add(DateTimeOffset bandFrom, DateTimeOffset bandTo)
        {
            if (bandTo > bandFrom)
            {
                bands.Add(current is null
                    ? new GradeBand(bandFrom, bandTo, 0, false, false, false, [])
                    : new GradeBand(bandFrom, bandTo, current.Grade, current.LowerBound, current.Provisional, current.Stale, current.Criteria));
            }
        }
    }

    private static IEnumerable<T> Within<T>(List<T> items, DateTimeOffset from, DateTimeOffset to)
        where T : IChartItem => items.Where(i => i.At >= from && i.At <= to);

    // Items are in time order: what is older than the horizon is at the start.
    private static void DropBefore<T>(List<T> items, DateTimeOffset horizon)
        where T : IChartItem
    {
        var older = 0;
        while (older < items.Count && items[older].At < horizon)
        {
            older++;
        }

        if (older > 0)
        {
            items.RemoveRange(0, older);
        }
    }

    private static void KeepFrom(List<ChartGrade> grades, DateTimeOffset horizon)
    {
        var inEffect = grades.FindLastIndex(g => g.At < horizon);
        if (inEffect > 0)
        {
            grades.RemoveRange(0, inEffect);
        }
    }

    private static bool NoGrade(ChartGrade grade) => grade is { Grade: 0, LowerBound: false, Provisional: false, Stale: false };
}

/// <summary>
/// Every patient's <see cref="PatientChart"/>, folded in event-log order and bounded by <see cref="Retention"/>: what
/// is older than the latest recorded time folded minus the retention is dropped (each patient's chart when it gets
/// something new, every chart every <see cref="SweepEvery"/> items), so memory follows the ward's size and rate, never
/// the log's age. The view of any window up to the retention does not depend on when the sweeps ran.
/// </summary>
public sealed class PatientCharts(TimeSpan retention)
{
    /// <summary>How many items are added between two sweeps of every chart.</summary>
    public const int SweepEvery = 4_096;

    private readonly Dictionary<string, PatientChart> _charts = new(StringComparer.Ordinal);
    private DateTimeOffset _latest = DateTimeOffset.MinValue;
    private int _sinceSweep;

    /// <summary>The longest window a chart shows; older items are dropped.</summary>
    public TimeSpan Retention { get; } = retention > TimeSpan.Zero ? retention : throw new ArgumentOutOfRangeException(nameof(retention), "a chart's retention must be positive");

    public int Count => _charts.Count;

    /// <summary>Adds a charting of vital signs recorded at <paramref name="recordedAt"/>; false when too old or already there.</summary>
    public bool Add(string patientId, ChartVitals vitals, DateTimeOffset recordedAt) => Add(patientId, recordedAt, vitals.At, c => PatientChart.Insert(c.Vitals, vitals));

    public bool Add(string patientId, ChartNeuro neuro, DateTimeOffset recordedAt) => Add(patientId, recordedAt, neuro.At, c => PatientChart.Insert(c.Neuro, neuro));

    public bool Add(string patientId, ChartTreatment treatment, DateTimeOffset recordedAt) => Add(patientId, recordedAt, treatment.At, c => PatientChart.Insert(c.Treatments, treatment));

    public bool Add(string patientId, ChartAdvice advice, DateTimeOffset recordedAt) => Add(patientId, recordedAt, advice.At, c => PatientChart.Insert(c.Advice, advice));

    /// <summary>A grade of <paramref name="scale"/>; an old one still counts as the grade in effect.</summary>
    public bool AddGrade(string patientId, AlertScale scale, ChartGrade grade, DateTimeOffset recordedAt) =>
        Add(patientId, recordedAt, DateTimeOffset.MaxValue, c => PatientChart.Insert(scale == AlertScale.Icans ? c.Icans : c.Crs, grade));

    /// <summary>An overdue-observation notice (C2-OD-1) opening, keeping or clearing the reading's owed stretch.</summary>
    public bool AddOverdue(string patientId, string reading, string status, DateTimeOffset since, string? reason, DateTimeOffset at, DateTimeOffset recordedAt) =>
        Add(patientId, recordedAt, DateTimeOffset.MaxValue, c =>
        {
            c.Owed(reading, status, since, reason, at);
            return true;
        });

    /// <summary>The chart of <paramref name="patientId"/> over [<paramref name="from"/>, <paramref name="to"/>]; an empty one when nothing is charted.</summary>
    public ChartView View(string patientId, DateTimeOffset from, DateTimeOffset to) =>
        (_charts.GetValueOrDefault(patientId) ?? new PatientChart()).View(patientId, from, to);

    /// <summary>Every chart and the latest recorded time, as a snapshot keeps them.</summary>
    public ChartsState Save() => new(_latest, [.. _charts.Select(c => new PatientChartState(c.Key, c.Value))]);

    public void Restore(ChartsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Clear();
        _latest = state.Latest;
        foreach (var chart in state.Charts)
        {
            _charts[chart.PatientId] = chart.Chart;
        }
    }

    public void Clear()
    {
        _charts.Clear();
        _latest = DateTimeOffset.MinValue;
        _sinceSweep = 0;
    }

    private DateTimeOffset Horizon => _latest == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : _latest - Retention;

    private bool Add(string patientId, DateTimeOffset recordedAt, DateTimeOffset at, Func<PatientChart, bool> add)
    {
        if (recordedAt > _latest)
        {
            _latest = recordedAt;
        }

        if (at < Horizon)
        {
            return false;
        }

        if (!_charts.TryGetValue(patientId, out var chart))
        {
            _charts[patientId] = chart = new PatientChart();
        }

        var added = add(chart);
        chart.Prune(Horizon);
        if (++_sinceSweep >= SweepEvery)
        {
            Sweep();
        }

        return added;
    }

    private void Sweep()
    {
        _sinceSweep = 0;
        var horizon = Horizon;
        foreach (var (patientId, chart) in _charts.ToList())
        {
            chart.Prune(horizon);
            if (chart.ShowsNothing())
            {
                _charts.Remove(patientId);
            }
        }
    }
}

/// <summary>The charts as a snapshot keeps them.</summary>
public sealed record ChartsState(DateTimeOffset Latest, IReadOnlyList<PatientChartState> Charts);

public sealed record PatientChartState(string PatientId, PatientChart Chart);
