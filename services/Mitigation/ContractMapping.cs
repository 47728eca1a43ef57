using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string MitigationAdvisedEffect = "mitigation-advised";

    /// <summary>The advice event for <paramref name="causedBy"/>; its id is derived from the cause, so it is the same after any restart.</summary>
    public static MitigationAdvised ToContract(this IReadOnlyList<Advice> advice, IPatientEvent causedBy, DateTimeOffset now) => new(
        EventId: EventIds.Derive(causedBy.EventId, MitigationAdvisedEffect),
        PatientId: causedBy.PatientId,
        ObservedAt: causedBy.ObservedAt,
        RecordedAt: now,
        CausedByEventId: causedBy.EventId,
        Items: [.. advice.Select(a => new AdviceItem(a.Code, a.Text, a.Source, a.Jurisdiction.Codes(),
            a.Scale is { } scale ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(scale.ToString()) : null))]);
}
