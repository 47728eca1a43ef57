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
}
