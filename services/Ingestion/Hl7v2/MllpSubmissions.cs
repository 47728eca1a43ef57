using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>
/// The one path every HL7 v2 message takes, as <see cref="Submissions"/> is for JSON: check the header (message type,
/// version, processing id: AR), replay a known MSH-10 of the same sender (MSH-3 and MSH-4), read the ORU^R01 (AE
/// with an ERR per problem), refuse patients not admitted (AE), publish with confirms (AR when the broker does not
/// confirm: the sender resends), and only then answer AA, remembering the answer. Nothing is published for a refused message.
/// </summary>
/// <remarks>
/// Acknowledgement modes (HL7 v2 chapter 2): with MSH-15 and MSH-16 empty, original mode, one application ACK
/// (AA/AE/AR). Otherwise enhanced mode: a commit ACK (CA/CE/CR) as MSH-15 asks (AL always, ER on error, SU on
/// success, NE never; empty means AL), then an application ACK as MSH-16 asks, on the same connection. This service
/// commits only what the broker confirmed, so CA means the observation is durably recorded.
/// </remarks>
internal sealed class MllpSubmissions(IngestionStore store, EventPublisher publisher, TimeProvider clock, IOptions<MllpOptions> options, ILogger<MllpSubmissions> logger)
{
    private static readonly string[] Versions = ["2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly MllpOptions _options = options.Value;

    private static readonly Action<ILogger, string, string, int, Exception?> LogAnswered = LoggerMessage.Define<string, string, int>(
        LogLevel.Debug, default, "HL7 v2 message {ControlId} answered {Code} with {Problems} problems");

    private static readonly Action<ILogger, string, string, Exception?> LogRefused = LoggerMessage.Define<string, string>(
        LogLevel.Information, default, "HL7 v2 message {ControlId} refused ({Code}): nothing published");

    private static readonly Action<ILogger, int, string, Exception?> LogBrokerDown = LoggerMessage.Define<int, string>(
        LogLevel.Warning, default, "Broker did not confirm {EventCount} events of HL7 v2 message {ControlId}; answered AR");

    /// <summary>The acknowledgements to send back, in order (none when the sender asked for none).</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(Er7Message message, CancellationToken cancellationToken)
    {
        var header = message.Header;
        var now = clock.GetUtcNow();
        var (code, problems) = await OutcomeAsync(message, now, cancellationToken);
        var controlId = header.Get(10);
        LogAnswered(logger, controlId, code, problems.Count, null);
        if (code != "AA")
        {
            LogRefused(logger, controlId, code, null);
        }

        var accept = header.Get(15);
        var application = header.Get(16);
        // A mode outside table 0155 cannot be honoured: the refusal naming it goes back in original mode, or the sender
        // would wait for an answer that never comes (found by the MLLP fuzz run: MSH-15 "A:L").
        if ((accept.Length == 0 && application.Length == 0) || !IsCondition(accept) || !IsCondition(application))
        {
            return [Acks.Build(header, code, problems, _options, now)];
        }

        var acks = new List<string>(2);
        var success = code == "AA";
        if (Wanted(accept.Length == 0 ? "AL" : accept, success))
        {
            acks.Add(Acks.Build(header, "C" + code[1], problems, _options, now));
        }

        if (Wanted(application, success))
        {
            acks.Add(Acks.Build(header, code, problems, _options, now));
        }

        return acks;
    }

    private static bool IsCondition(string field) => field is "" or "AL" or "NE" or "ER" or "SU";

    // HL7 table 0155: AL always, NE never, ER only on error, SU only on success.
    private static bool Wanted(string condition, bool success) => condition switch
    {
        "AL" => true,
        "ER" => !success,
        "SU" => success,
        _ => false,
    };

    private async Task<(string Code, IReadOnlyList<Hl7Problem> Problems)> OutcomeAsync(Er7Message message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var header = message.Header;
        if (HeaderProblem(header) is { } rejected)
        {
            return ("AR", [rejected]);
        }

        var controlId = header.Get(10);
        if (controlId.Length is 0 or > 199)
        {
            return ("AE", [new Hl7Problem("MSH", 1, 10, 1, ErrorCodes.RequiredFieldMissing, "MSH-10 (message control id, 1-199 characters) is required: it is the key a resend is known by.")]);
        }

        // The sender is MSH-3 and MSH-4 (application and facility): one control id per sender names one message.
        var caller = $"mllp/{header.Get(3)}^{header.Get(3, 2)}/{header.Get(4)}^{header.Get(4, 2)}";
        var hash = Hash(message);
        if (await store.FindAnswerAsync(caller, controlId, cancellationToken) is { } known)
        {
            return known.RequestHash == hash
                ? ("AA", JsonSerializer.Deserialize<StoredAck>(known.Body, Json)!.Warnings)
                : ("AE", [new Hl7Problem("MSH", 1, 10, 1, ErrorCodes.DuplicateKeyIdentifier,
                    $"MSH-10 {controlId} was already taken for a different message from this sender; give a new message a new control id.")]);
        }

        var next = 0;
        var content = OruReader.Read(message, _options, now, () => EventIds.NameBased(EventIds.Namespace, $"ingestion/{caller}/{controlId}/{next++}"));
        if (content.Errors.Count > 0)
        {
            return ("AE", [.. content.Errors, .. content.Warnings]);
        }

        var notAdmitted = content.Events.Select(e => e.PatientId).Distinct(StringComparer.Ordinal).Where(id => !store.IsAdmitted(id)).ToList();
        if (notAdmitted.Count > 0)
        {
            return ("AE", [new Hl7Problem("PID", 1, 3, 1, ErrorCodes.UnknownKeyIdentifier,
                "The patient of PID-3 is not admitted: admit the patient (PUT /api/v1/patients/{id}) first, then send this again.")]);
        }

        try
        {
            await publisher.PublishAsync([.. content.Events.Cast<IPatientEvent>()], cancellationToken);
        }
        catch (BrokerUnavailableException)
        {
            LogBrokerDown(logger, content.Events.Count, controlId, null);
            return ("AR", [new Hl7Problem("MSH", 1, 10, 1, ErrorCodes.InternalError,
                "Nothing was recorded: the message broker did not confirm. Send the same message again (same MSH-10).")]);
        }

        await store.SaveAnswerAsync(caller, controlId, new StoredAnswer(hash, 200, JsonSerializer.Serialize(new StoredAck(content.Warnings), Json)), now, cancellationToken);
        return ("AA", content.Warnings);
    }

    /// <summary>AR for a message this service does not take at all: MSH-9, MSH-11 or MSH-12 (HL7 v2 chapter 2, original mode rules).</summary>
    private Hl7Problem? HeaderProblem(Er7Segment header)
    {
        if (header.Get(9, 1) != "ORU")
        {
            return new Hl7Problem("MSH", 1, 9, 1, ErrorCodes.UnsupportedMessageType, $"Only ORU^R01 is taken here; got message type '{header.Get(9, 1)}'.");
        }

        if (header.Get(9, 2) != "R01")
        {
            return new Hl7Problem("MSH", 1, 9, 2, ErrorCodes.UnsupportedEventCode, $"Only ORU^R01 is taken here; got event '{header.Get(9, 2)}'.");
        }

        if (!_options.ProcessingIds.Contains(header.Get(11, 1), StringComparer.Ordinal))
        {
            return new Hl7Problem("MSH", 1, 11, 1, ErrorCodes.UnsupportedProcessingId,
                $"MSH-11 processing id '{header.Get(11, 1)}' is not taken here (taken: {string.Join(", ", _options.ProcessingIds)}).");
        }

        if (!Versions.Contains(header.Get(12, 1), StringComparer.Ordinal))
        {
            return new Hl7Problem("MSH", 1, 12, 1, ErrorCodes.UnsupportedVersionId, $"MSH-12 version '{header.Get(12, 1)}' is not taken here (taken: {string.Join(", ", Versions)}).");
        }

        foreach (var field in new[] { 15, 16 })
        {
            if (!IsCondition(header.Get(field)))
            {
                return new Hl7Problem("MSH", 1, field, 1, ErrorCodes.TableValueNotFound,
                    $"MSH-{field} '{header.Get(field)}' is not an acknowledgement condition of HL7 table 0155 (AL, NE, ER, SU, or empty).");
            }
        }

        return null;
    }

    /// <summary>What makes two messages with one control id the same: every segment but MSH, and the message type and version.</summary>
    private static string Hash(Er7Message message)
    {
        var text = new StringBuilder();
        text.Append(message.Header.Raw(9)).Append('|').Append(message.Header.Raw(12));
        foreach (var segment in message.Segments.Skip(1))
        {
            text.Append('\r').Append(segment.Line);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>What is remembered of an accepted message: the warnings its ACK carried.</summary>
    private sealed record StoredAck(IReadOnlyList<Hl7Problem> Warnings);
}
