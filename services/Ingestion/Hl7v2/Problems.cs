namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>
/// One problem with a message, where it is (segment id, its occurrence, field, repetition and component, as an ERR
/// segment's location says it), its HL7 table 0357 code and its severity: <c>E</c> refuses the message, <c>W</c>
/// reports what was left out of an accepted one.
/// </summary>
internal sealed record Hl7Problem(string Segment, int Sequence, int Field, int Component, string Code, string Text, char Severity = 'E', int Repetition = 1);

/// <summary>HL7 table 0357 (message error condition codes): the ones this service answers with.</summary>
internal static class ErrorCodes
{
    public const string SegmentSequence = "100";
    public const string RequiredFieldMissing = "101";
    public const string DataType = "102";
    public const string TableValueNotFound = "103";
    public const string UnsupportedMessageType = "200";
    public const string UnsupportedEventCode = "201";
    public const string UnsupportedProcessingId = "202";
    public const string UnsupportedVersionId = "203";
    public const string UnknownKeyIdentifier = "204";
    public const string DuplicateKeyIdentifier = "205";
    public const string InternalError = "207";

    public static string Text(string code) => code switch
    {
        SegmentSequence => "Segment sequence error",
        RequiredFieldMissing => "Required field missing",
        DataType => "Data type error",
        TableValueNotFound => "Table value not found",
        UnsupportedMessageType => "Unsupported message type",
        UnsupportedEventCode => "Unsupported event code",
        UnsupportedProcessingId => "Unsupported processing id",
        UnsupportedVersionId => "Unsupported version id",
        UnknownKeyIdentifier => "Unknown key identifier",
        DuplicateKeyIdentifier => "Duplicate key identifier",
        _ => "Application internal error",
    };
}
