using System.ComponentModel.DataAnnotations;

namespace Toxicity.Ingestion.Service;

/// <summary>Ingestion's settings (section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>The SQLite file with admitted patients and idempotency keys; relative paths are under the content root.</summary>
    [Required]
    public string DatabasePath { get; set; } = "data/ingestion.db";

    /// <summary>How long a request waits for the broker's confirm before it answers 503.</summary>
    [Range(1, 60)]
    public int PublishTimeoutSeconds { get; set; } = 5;

    /// <summary>How long an Idempotency-Key is remembered.</summary>
    [Range(1, 24 * 365)]
    public int IdempotencyRetentionHours { get; set; } = 72;

    /// <summary>Build the FHIR validator in the background at start-up (about 6 s of CPU), so that no FHIR request waits for it; else on the first FHIR request.</summary>
    public bool WarmUpFhirValidation { get; set; } = true;
}

/// <summary>The HL7 v2 MLLP listener's settings (section <c>Ingestion:Mllp</c>; docs/hl7v2.md). No port, no listener.</summary>
public sealed class MllpOptions : IValidatableObject
{
    public const string Section = "Ingestion:Mllp";

    /// <summary>The TCP port of the listener (2575 is HL7's registered port); 0 picks a free one (tests); null turns it off.</summary>
    [Range(0, 65535)]
    public int? Port { get; set; }

    /// <summary>The address listened on: every IPv4 interface unless set (<c>::</c> for IPv6 and IPv4, 127.0.0.1 for this machine only).</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>The PID-3 assigning authority (CX-4, namespace or universal id) whose identifier is the patient's pseudonymous id.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AssigningAuthority { get; set; } = "TOXICITY";

    /// <summary>MSH-3 of the ACKs sent back (this application).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ApplicationName { get; set; } = "TOXICITY";

    /// <summary>MSH-4 of the ACKs sent back (this facility).</summary>
    [Required(AllowEmptyStrings = false)]
    public string FacilityName { get; set; } = "TOXICITY";

    /// <summary>MSH-11 processing ids taken (P production; a test instance may add T); others get AR.</summary>
    [MinLength(1)]
    public string[] ProcessingIds { get; set; } = ["P"];

    /// <summary>The largest message taken, in bytes; a longer frame closes the connection.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a frame may take to arrive once it began; a slower sender is disconnected.</summary>
    [Range(1, 3600)]
    public int FrameTimeoutSeconds { get; set; } = 30;

    /// <summary>How long a connection may stay silent between messages before it is closed.</summary>
    [Range(1, 86400)]
    public int IdleTimeoutSeconds { get; set; } = 600;

    /// <summary>Connections served at once; one more is closed as soon as it is accepted.</summary>
    [Range(1, 100000)]
    public int MaxConnections { get; set; } = 256;

    /// <summary>The IANA time zone of senders whose times carry no UTC offset; without it such times are refused.</summary>
    public string? TimeZone { get; set; }

    /// <summary>PEM certificate of the listener for MLLP over TLS (with <see cref="KeyPath"/>); none: plain TCP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>With TLS: senders must present a client certificate the machine's trust store accepts.</summary>
    public bool RequireClientCertificate { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult($"{Section}:Address must be an IP address; got '{Address}'.", [nameof(Address)]);
        }

        if (TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            yield return new ValidationResult($"{Section}:TimeZone '{zone}' is not a time zone of this machine (an IANA id, e.g. Europe/Zurich).", [nameof(TimeZone)]);
        }

        if (string.IsNullOrEmpty(CertificatePath) != string.IsNullOrEmpty(KeyPath))
        {
            yield return new ValidationResult($"{Section}:CertificatePath and {Section}:KeyPath go together (PEM files), for MLLP over TLS.", [nameof(CertificatePath)]);
        }

        if (RequireClientCertificate && string.IsNullOrEmpty(CertificatePath))
        {
            yield return new ValidationResult($"{Section}:RequireClientCertificate needs TLS ({Section}:CertificatePath and KeyPath).", [nameof(RequireClientCertificate)]);
        }
    }
}
