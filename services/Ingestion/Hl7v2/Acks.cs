using System.Globalization;
using System.Text;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>
/// The acknowledgement of one message (HL7 v2 chapter 2, "Acknowledgment messages"): MSH, MSA and an ERR per
/// problem, in the message's own version. From 2.5 an ERR carries the location (ERR-2), the table 0357 code
/// (ERR-3), the severity (ERR-4) and the reason (ERR-8); before 2.5 the location and code in ERR-1, as those versions define it.
/// </summary>
internal static class Acks
{
    private static readonly Delimiters D = Delimiters.Standard;

    /// <summary>The ACK text (segments ending in CR); <paramref name="code"/> is AA/AE/AR (original mode, application) or CA/CE/CR (commit).</summary>
    public static string Build(Er7Segment header, string code, IReadOnlyList<Hl7Problem> problems, MllpOptions options, DateTimeOffset now)
    {
        var version = header.Get(12, 1);
        var modern = Version(version) >= 25;
        var ack = new StringBuilder(256);
        ack.Append("MSH").Append(D.Field).Append(D.EncodingCharacters)
            .Append(D.Field).Append(D.Escape(options.ApplicationName))
            .Append(D.Field).Append(D.Escape(options.FacilityName))
            .Append(D.Field).Append(Components(header, 3, 3))
            .Append(D.Field).Append(Components(header, 4, 3))
            .Append(D.Field).Append(Hl7Time.Format(now))
            .Append(D.Field)
            .Append(D.Field).Append("ACK").Append(D.Component).Append(D.Escape(header.Get(9, 2)))
            .Append(Version(version) >= 24 ? $"{D.Component}ACK" : string.Empty)
            .Append(D.Field).Append(ControlId())
            .Append(D.Field).Append(D.Escape(header.Get(11, 1)))
            .Append(D.Field).Append(D.Escape(version))
            .Append('\r');

        ack.Append("MSA").Append(D.Field).Append(code).Append(D.Field).Append(D.Escape(header.Get(10)));
        if (problems.Count > 0)
        {
            // MSA-3 (a text, kept by 2.5+ for backward compatibility): the first problem, for senders that read no ERR.
            var first = problems[0];
            ack.Append(D.Field).Append(D.Escape(Truncate(Ascii(problems.Count == 1 ? first.Text : $"{first.Text} (and {problems.Count - 1} more)"), 80)));
        }

        ack.Append('\r');
        foreach (var problem in problems)
        {
            var location = string.Join(D.Component, problem.Segment, problem.Sequence.ToString(CultureInfo.InvariantCulture),
                Number(problem.Field), Number(problem.Field > 0 ? problem.Repetition : 0), Number(problem.Component)).TrimEnd(D.Component);
            var error = string.Join(D.Component, problem.Code, ErrorCodes.Text(problem.Code), "HL70357");
            ack.Append("ERR").Append(D.Field);
            if (modern)
            {
                ack.Append(D.Field).Append(location)
                    .Append(D.Field).Append(error)
                    .Append(D.Field).Append(problem.Severity)
                    .Append(D.Field).Append(D.Field).Append(D.Field).Append(D.Field).Append(D.Escape(Ascii(problem.Text)));
            }
            else
            {
                var eld = string.Join(D.Component, problem.Segment, problem.Sequence.ToString(CultureInfo.InvariantCulture), Number(problem.Field),
                    string.Join(D.Subcomponent, problem.Code, ErrorCodes.Text(problem.Code), "HL70357"));
                ack.Append(eld);
            }

            ack.Append('\r');
        }

        return ack.ToString();
    }

    /// <summary>The version as a number to compare (2.3.1 → 23, 2.5.1 → 25), 0 when not a 2.x version.</summary>
    public static int Version(string version) =>
        version.Length >= 3 && version[0] == '2' && version[1] == '.' && char.IsAsciiDigit(version[2]) ? 20 + (version[2] - '0') : 0;

    private static string Components(Er7Segment header, int field, int count) =>
        string.Join(D.Component, Enumerable.Range(1, count).Select(c => D.Escape(header.Get(field, c)))).TrimEnd(D.Component);

    private static string Number(int value) => value > 0 ? value.ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    /// <summary>A reason in ASCII, HL7's default character set (the ACK declares no other).</summary>
    private static string Ascii(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        var ascii = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            ascii.Append(c switch
            {
                '°' => "deg ",
                '…' => "...",
                '≥' => ">=",
                '≤' => "<=",
                '₂' => "2",
                < (char)128 => c.ToString(),
                _ => "?",
            });
        }

        return ascii.ToString();
    }

    // ST of 20 characters at most (MSH-10 before 2.7): a random id, as an ACK is never acknowledged itself.
    private static string ControlId() => "TX" + Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 9);
}
