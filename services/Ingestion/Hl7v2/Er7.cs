using System.Text;

namespace Toxicity.Ingestion.Service.Hl7v2;

/// <summary>
/// The delimiters of one message as its MSH-1 and MSH-2 declare them (HL7 v2.x chapter 2, "Message delimiters"):
/// field, component, repetition, escape and sub-component (and, from 2.7, truncation, which is read and not used).
/// </summary>
internal readonly record struct Delimiters(char Field, char Component, char Repetition, char EscapeCharacter, char Subcomponent)
{
    /// <summary>What this service writes in its own messages (the ACKs): <c>|^~\&amp;</c>.</summary>
    public static readonly Delimiters Standard = new('|', '^', '~', '\\', '&');

    public string EncodingCharacters => string.Concat(Component, Repetition, EscapeCharacter, Subcomponent);

    /// <summary><paramref name="text"/> with every delimiter written as its escape sequence (\F\ \S\ \R\ \E\ \T\).</summary>
    public string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny([Field, Component, Repetition, EscapeCharacter, Subcomponent, '\r', '\n']) < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                _ when c == EscapeCharacter => escaped.Append(EscapeCharacter).Append('E').Append(EscapeCharacter),
                _ when c == Field => escaped.Append(EscapeCharacter).Append('F').Append(EscapeCharacter),
                _ when c == Component => escaped.Append(EscapeCharacter).Append('S').Append(EscapeCharacter),
                _ when c == Repetition => escaped.Append(EscapeCharacter).Append('R').Append(EscapeCharacter),
                _ when c == Subcomponent => escaped.Append(EscapeCharacter).Append('T').Append(EscapeCharacter),
                '\r' or '\n' => escaped.Append(' '),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> with its escape sequences replaced: \F\ \S\ \T\ \R\ \E\ by the delimiters, \Xhh…\ by
    /// the bytes it spells (UTF-8), \.br\ by a line break; the formatting and character-set sequences (\H\ \N\ \Z…\
    /// \C…\ \M…\ and the other \.xx\ commands) are dropped. An escape character without its closing one is kept as sent.
    /// </summary>
    public string Unescape(string text)
    {
        var start = text.IndexOf(EscapeCharacter, StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var plain = new StringBuilder(text.Length);
        plain.Append(text, 0, start);
        var i = start;
        while (i < text.Length)
        {
            var close = text[i] == EscapeCharacter ? text.IndexOf(EscapeCharacter, i + 1) : -1;
            if (close < 0)
            {
                plain.Append(text[i]);
                i++;
                continue;
            }

            var sequence = text.AsSpan(i + 1, close - i - 1);
            switch (sequence)
            {
                case "F": plain.Append(Field); break;
                case "S": plain.Append(Component); break;
                case "T": plain.Append(Subcomponent); break;
                case "R": plain.Append(Repetition); break;
                case "E": plain.Append(EscapeCharacter); break;
                case ".br": plain.Append('\n'); break;
                case ['X', .. var hex] when hex.Length % 2 == 0 && IsHex(hex):
                    plain.Append(Encoding.UTF8.GetString(Convert.FromHexString(hex)));
                    break;
                default: break; // formatting or character-set commands: no part of a value
            }

            i = close + 1;
        }

        return plain.ToString();
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Why a text is not an ER7 message at all (no MSH first, bad delimiters): answered without an ACK it could address.</summary>
internal sealed class Er7FormatException(string message) : FormatException(message);

/// <summary>
/// An HL7 v2 message in ER7 (pipe-and-hat) encoding, split into segments; fields are read with
/// <see cref="Er7Segment.Get"/>. Segments end with a carriage return, as the standard says; a line feed after or
/// instead of it (as some engines write) is taken as the same.
/// </summary>
internal sealed class Er7Message
{
    private Er7Message(Delimiters delimiters, IReadOnlyList<Er7Segment> segments)
    {
        Delimiters = delimiters;
        Segments = segments;
    }

    public Delimiters Delimiters { get; }

    public IReadOnlyList<Er7Segment> Segments { get; }

    public Er7Segment Header => Segments[0];

    public static Er7Message Parse(string text)
    {
        if (!text.StartsWith("MSH", StringComparison.Ordinal) || text.Length < 8)
        {
            throw new Er7FormatException("A message must begin with an MSH segment and its delimiters.");
        }

        var field = text[3];
        var end = text.IndexOf(field, 4);
        var encoding = end < 0 ? string.Empty : text[4..end];
        if (encoding.Length is < 4 or > 5 || char.IsLetterOrDigit(field) || field is '\r' or '\n' || encoding.Any(c => char.IsLetterOrDigit(c) || c is '\r' or '\n' || c == field)
            || encoding.Distinct().Count() != encoding.Length)
        {
            throw new Er7FormatException("MSH-1 and MSH-2 must declare five distinct delimiters (e.g. |^~\\&).");
        }

        var delimiters = new Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3]);
        var segments = new List<Er7Segment>();
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(field);
            var id = fields[0];
            if (id.Length != 3 || !char.IsAsciiLetterUpper(id[0]) || !id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            {
                throw new Er7FormatException($"Segment {segments.Count + 1} does not begin with a three-character segment id.");
            }

            occurrences[id] = occurrences.GetValueOrDefault(id) + 1;
            segments.Add(new Er7Segment(id, occurrences[id], line, fields, delimiters));
        }

        if (segments.Count(s => s.Id == "MSH") != 1)
        {
            throw new Er7FormatException("A message has exactly one MSH segment (batches of messages are not taken).");
        }

        return new Er7Message(delimiters, segments);
    }
}

/// <summary>One segment; <see cref="Occurrence"/> counts this id's segments from 1, as an ERR location does (OBX^3 is the third OBX).</summary>
internal sealed class Er7Segment(string id, int occurrence, string line, string[] fields, Delimiters delimiters)
{
    public string Id => id;

    /// <summary>The segment as sent.</summary>
    public string Line => line;

    public int Occurrence => occurrence;

    /// <summary>The field as sent, escape sequences and all; MSH-1 is the field separator and MSH-2 the encoding characters.</summary>
    public string Raw(int field)
    {
        if (id == "MSH")
        {
            if (field == 1)
            {
                return delimiters.Field.ToString();
            }

            field--; // fields[1] holds MSH-2: the separator itself is MSH-1
        }

        return field >= 1 && field < fields.Length ? fields[field] : string.Empty;
    }

    public int Repetitions(int field) => Raw(field) is { Length: > 0 } raw && !(id == "MSH" && field <= 2) ? raw.Split(delimiters.Repetition).Length : 0;

    /// <summary>
    /// The value at <paramref name="field"/>, repetition, component and sub-component (all from 1), unescaped;
    /// empty when absent. HL7's explicit null (<c>""</c>) reads as empty too.
    /// </summary>
    public string Get(int field, int component = 1, int subcomponent = 1, int repetition = 1)
    {
        var raw = Raw(field);
        if (id == "MSH" && field <= 2)
        {
            return raw;
        }

        var value = Part(Part(Part(raw, delimiters.Repetition, repetition), delimiters.Component, component), delimiters.Subcomponent, subcomponent);
        return value == "\"\"" ? string.Empty : delimiters.Unescape(value);
    }

    private static string Part(string text, char separator, int index)
    {
        if (index == 1)
        {
            var end = text.IndexOf(separator, StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }

        var parts = text.Split(separator);
        return index <= parts.Length ? parts[index - 1] : string.Empty;
    }
}
