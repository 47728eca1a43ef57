using Toxicity.Grading.V2;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>How the Audit service is put together (Program.cs reads as the table of contents).</summary>
internal static class Extensions
{
    /// <summary>
    /// Every entry of the log, in order, into the chain and the index (SQLite), resuming after the last one stored;
    /// verification, and re-grading under either rule set with the site's windows (the same settings as Grading's,
    /// <c>Grading:Windows:…</c>).
    /// </summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.AddToxicityMessaging(_ => { });
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<LogVerifier>();
        builder.Services.AddSingleton<Regrader>();
        builder.Services.AddSingleton<ProgrammeReports>();
        builder.Services.AddSingleton<Fhir.GradeObservations>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Grading:Windows").Get<GradingWindows>() ?? GradingWindows.Default);
        builder.AddEventLogFollower<AuditLog>();
        return builder;
    }
}
