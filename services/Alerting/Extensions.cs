using Toxicity.Alerting.Service.Consumers;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>How the Alerting service is put together (Program.cs reads as the table of contents).</summary>
internal static class Extensions
{
    /// <summary>API keys for machine clients; the ward board's session cookie for clinicians in a browser (signed in by key or by the hospital's IdP), with its sign-in limit.</summary>
    public static WebApplicationBuilder AddAlertingSignIn(this WebApplicationBuilder builder)
    {
        builder.AddSessionAuthentication(BoardEndpoints.CookieName, Roles.Clinician);
        builder.AddBoardOidc();
        builder.Services.AddWardBoardSignInLimit();
        return builder;
    }

    /// <summary>
    /// Wards, alerts and advice folded from the event log (the alert for a grade change is decided there and published
    /// once by the consumer of the change), the feed screens stream from, the ward policies and the escalations.
    /// </summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.AddToxicityMessaging(bus => bus.AddConsumer<GradeChangedConsumer>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEffectLedger(builder.Configuration);
        builder.Services.AddSingleton<AlertFeed>();
        builder.Services.AddSingleton<AlertPolicies>();
        builder.AddEventLogFollower<AlertBook>();
        builder.Services.AddHostedService<Escalator>();
        return builder;
    }
}
