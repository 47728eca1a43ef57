using Toxicity.Ingestion.Service.Hl7v2;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>The ER7 parser on its own: delimiters as MSH declares them, escapes, repetitions, components, sub-components.</summary>
public sealed class Er7Tests
{
    [Fact]
    public void MSH_1_and_MSH_2_are_the_delimiters_and_the_fields_after_them_count_from_3()
    {
        var message = Er7Message.Parse("MSH|^~\\&|APP^1.2.3^ISO|FAC|||20261201101500+0100||ORU^R01^ORU_R01|C1|P|2.6\r");
        var msh = message.Header;

        Assert.Equal(("|", "^~\\&", "APP", "1.2.3", "FAC"), (msh.Get(1), msh.Get(2), msh.Get(3), msh.Get(3, 2), msh.Get(4)));
        Assert.Equal(("ORU", "R01", "ORU_R01", "C1", "2.6"), (msh.Get(9), msh.Get(9, 2), msh.Get(9, 3), msh.Get(10), msh.Get(12)));
        Assert.Equal(string.Empty, msh.Get(13));
    }

    [Fact]
    public void Other_delimiters_declared_in_MSH_are_used_for_every_segment()
    {
        var message = Er7Message.Parse("MSH#$*@%#APP#FAC#####ORU$R01#C1#P#2.5\rPID###A1$$$HOSP$MR*p-7$$$NIST%2.16.840.1.113883.3.72%ISO$PI\r");
        var pid = message.Segments[1];

        Assert.Equal(('#', '$', '*', '@', '%'), (message.Delimiters.Field, message.Delimiters.Component, message.Delimiters.Repetition,
            message.Delimiters.EscapeCharacter, message.Delimiters.Subcomponent));
        Assert.Equal(("ORU", "R01"), (message.Header.Get(9), message.Header.Get(9, 2)));
        Assert.Equal(2, pid.Repetitions(3));
        Assert.Equal(("A1", "HOSP"), (pid.Get(3, 1, 1, 1), pid.Get(3, 4, 1, 1)));
        Assert.Equal(("p-7", "NIST", "2.16.840.1.113883.3.72", "ISO"), (pid.Get(3, 1, 1, 2), pid.Get(3, 4, 1, 2), pid.Get(3, 4, 2, 2), pid.Get(3, 4, 3, 2)));
    }

    [Theory]
    [InlineData(@"a\F\b", "a|b")]
    [InlineData(@"a\S\b\T\c", "a^b&c")]
    [InlineData(@"a\R\b\E\c", @"a~b\c")]
    [InlineData(@"\X4869\ there", "Hi there")]
    [InlineData(@"line\.br\next", "line\nnext")]
    [InlineData(@"\H\bold\N\", "bold")]
    [InlineData(@"no end \F", @"no end \F")]
    [InlineData("\"\"", "")]
    public void Escape_sequences_are_read_as_the_standard_says(string sent, string read)
    {
        var message = Er7Message.Parse($"MSH|^~\\&|A|F|||20261201101500+0000||ORU^R01|C1|P|2.6\rNTE|1||{sent}\r");

        Assert.Equal(read, message.Segments[1].Get(3));
    }

    [Fact]
    public void What_is_escaped_for_an_ACK_reads_back_as_it_was()
    {
        const string text = @"a|b^c~d\e&f";
        var escaped = Delimiters.Standard.Escape(text);

        Assert.Equal(@"a\F\b\S\c\R\d\E\e\T\f", escaped);
        Assert.Equal(text, Delimiters.Standard.Unescape(escaped));
    }

    [Fact]
    public void Segments_may_end_in_CR_LF_or_CR_LF_and_empty_lines_are_skipped()
    {
        var message = Er7Message.Parse("MSH|^~\\&|A|F|||20261201101500+0000||ORU^R01|C1|P|2.6\r\nPID|||p-1^^^NIST\n\rOBR|1\rOBX|1|NM\r");

        Assert.Equal(["MSH", "PID", "OBR", "OBX"], message.Segments.Select(s => s.Id));
        Assert.Equal(1, message.Segments[3].Occurrence);
    }

    [Theory]
    [InlineData("PID|||p-1\r")]
    [InlineData("MSH|^~|A\r")]
    [InlineData("MSH|^^\\&|A\r")]
    [InlineData("MSH|^~\\&|A\rmsh|x\r")]
    [InlineData("MSH|^~\\&|A\rMSH|^~\\&|B\r")]
    public void A_text_without_one_MSH_and_five_distinct_delimiters_is_not_a_message(string text) =>
        Assert.Throws<Er7FormatException>(() => Er7Message.Parse(text));

    [Theory]
    [InlineData("202612011015+0100", "2026-12-01T10:15:00+01:00")]
    [InlineData("20261201101530-0500", "2026-12-01T10:15:30-05:00")]
    [InlineData("20261201101530.25+0000", "2026-12-01T10:15:30.25+00:00")]
    public void A_DTM_with_an_offset_is_that_time(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Hl7Time.Parse(text, zone: null));

    [Theory]
    [InlineData("20261201")]
    [InlineData("2026120110")]
    [InlineData("20261201101530")]
    [InlineData("20261301101530+0000")]
    [InlineData("20261201101530+01")]
    public void A_date_without_a_time_a_time_without_an_offset_or_a_bad_time_is_no_time(string text) =>
        Assert.Null(Hl7Time.Parse(text, zone: null));

    [Fact]
    public void A_time_without_an_offset_takes_the_configured_zones_offset_of_that_date()
    {
        var zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:15:00+01:00", System.Globalization.CultureInfo.InvariantCulture), Hl7Time.Parse("202612011015", zurich));
        Assert.Equal(DateTimeOffset.Parse("2026-07-01T10:15:00+02:00", System.Globalization.CultureInfo.InvariantCulture), Hl7Time.Parse("202607011015", zurich));
    }
}
