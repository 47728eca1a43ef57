using Toxicity.Contracts;
using Toxicity.Contracts.V1;

namespace Toxicity.Testing;

/// <summary>
/// A small scenario for the toxicity programme's measures (docs/reports.md), whose numbers are worked out by hand in
/// the comments and in Audit's ReportTests: three patients of one ward over five hours from <see cref="T0"/>.
/// </summary>
public sealed class ReportScenario
{
    public ReportScenario(DateTimeOffset t0)
    {
        T0 = t0;
        (P1, P2, P3) = ($"rp1-{Guid.NewGuid():N}"[..12], $"rp2-{Guid.NewGuid():N}"[..12], $"rp3-{Guid.NewGuid():N}"[..12]);
        Ward = $"ward-{Guid.NewGuid():N}"[..12];
        var (alert1, alert2, alert3, alert4) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var fever1 = Vitals(P1, At(0), 38.5);
        var fever2 = Vitals(P2, At(10), 38.2);
        Events =
        [
            Admit(P1, At(-60)), Admit(P2, At(-60)), Admit(P3, At(-60)),
            // p1: fever at 0, CRS 1 published at 2 (fever → grade 2 min); CRS 2 at 60, tocilizumab at 90 (30 min).
            Vitals(P1, At(-30), 37.1), fever1, Crs(P1, At(0), At(2), fever1.EventId, 0, 1),
            Alert(alert1, P1, At(2), "bedside-nurse"), new AlertAcknowledged(Guid.NewGuid(), P1, At(7), At(7), alert1, "ward-3-nurse"), // 5 min
            Crs(P1, At(60), At(61), Guid.NewGuid(), 1, 2),
            Alert(alert2, P1, At(61), "ward-physician"),
            new AlertAcknowledged(Guid.NewGuid(), P1, At(71), At(71), alert2, "dr-b"), // 10 min
            new AlertResponded(Guid.NewGuid(), P1, At(71), At(71), alert2, "declined", "alternative-cause", "dr-b", "a comment"),
            Treatment(P1, At(90), "tocilizumab"),
            // p2: fever at 10, CRS 1 published at 16 (6 min); CRS 2 at 100, no tocilizumab (not given).
            fever2, Crs(P2, At(10), At(16), fever2.EventId, 0, 1),
            Alert(alert3, P2, At(16), "bedside-nurse"), new AlertAcknowledged(Guid.NewGuid(), P2, At(36), At(36), alert3, "ward-3-nurse"), // 20 min
            new AlertResponded(Guid.NewGuid(), P2, At(36), At(36), alert3, "accepted", "assessing", "ward-3-nurse", null),
            Crs(P2, At(100), At(101), Guid.NewGuid(), 1, 2),
            Alert(alert4, P2, At(101), "ward-physician"), // never acknowledged
            new ObservationOverdue(Guid.NewGuid(), P2, At(200), At(200), Guid.NewGuid(), "temperature", "overdue", At(80), "stale", At(10), "astct-2019/2"),
            new ObservationOverdue(Guid.NewGuid(), P2, At(230), At(230), Guid.NewGuid(), "temperature", "cleared", At(80), null, At(230), "astct-2019/2"),
            // p3: an episode that began before the window (not counted), and an episode that ended (back to 0).
            Crs(P3, At(-50), At(-50), Guid.NewGuid(), 0, 1), Crs(P3, At(-40), At(-40), Guid.NewGuid(), 1, 0),
        ];
    }

    public DateTimeOffset T0 { get; }

    public string Ward { get; }

    public string P1 { get; }

    public string P2 { get; }

    public string P3 { get; }

    /// <summary>Every event, in log order (<c>Events[5]</c> is p1's first fever, which a test may deliver twice).</summary>
    public IReadOnlyList<IPatientEvent> Events { get; }

    /// <summary>The report's window: from a minute before <see cref="T0"/> to 300 minutes after it.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Window => (At(-1), At(300));

    public DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    private PatientAdmitted Admit(string patient, DateTimeOffset at) => new(Guid.NewGuid(), patient, at, at, 58, 72.5, 174, 1.87, "DLBCL", Ward, null);

    private static VitalSignsRecorded Vitals(string patient, DateTimeOffset at, double celsius) =>
        new(Guid.NewGuid(), patient, at, at, celsius, 100, 18, 120, 70, 97);

    private static CrsGradeChanged Crs(string patient, DateTimeOffset observed, DateTimeOffset recorded, Guid cause, int from, int to) =>
        new(Guid.NewGuid(), patient, observed, recorded, cause, from, to, "astct-2019/2", ["crs.fever"]);

    private AlertRaised Alert(Guid id, string patient, DateTimeOffset at, string tier) =>
        new(id, patient, at, at, Guid.NewGuid(), "crs", 0, 1, "warning", "CRS grade rose", "alert", tier, Ward);

    private static TreatmentAdministered Treatment(string patient, DateTimeOffset at, string kind) =>
        new(Guid.NewGuid(), patient, at, at, kind, kind, 580, "mg", "IV");
}
