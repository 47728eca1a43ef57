using System.Globalization;
using System.Text;
using System.Text.Json;
using Toxicity.Testing;
using Xunit;
using static Toxicity.Ingestion.Service.Tests.Hl7v2Messages;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// HL7 v2 ORU^R01 over MLLP on a real TCP connection to the in-process Ingestion, on the real broker: what is
/// recorded (read from the probe queue), the ACK of every case, and nothing published for anything refused.
/// </summary>
[Collection(IngestionCollection.Name)]
public sealed class Hl7v2Tests(IngestionFixture ingestion)
{
    private static readonly TimeSpan Closing = TimeSpan.FromSeconds(IngestionFixture.FrameTimeoutSeconds + 10);

    private string Patient => ingestion.MarkerPatient;

    private async Task<Ack> SendAsync(string message)
    {
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);
        return Read(await mllp.SendAsync(message));
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow.AddMinutes(-1);

    // One value per event field, in range, in the unit the row's system suggests.
    private static readonly Dictionary<string, (string Value, string Ucum, string Mdc, double Expected)> Readings = new(StringComparer.Ordinal)
    {
        ["temperatureC"] = ("38.4", "Cel^Cel^UCUM", "268192^MDC_DIM_DEGC^MDC", 38.4),
        ["heartRatePerMin"] = ("97", "/min^/min^UCUM", "264864^MDC_DIM_BEAT_PER_MIN^MDC", 97),
        ["respiratoryRatePerMin"] = ("22", "/min^/min^UCUM", "264928^MDC_DIM_RESP_PER_MIN^MDC", 22),
        ["systolicMmHg"] = ("101", "mm[Hg]^mm[Hg]^UCUM", "266016^MDC_DIM_MMHG^MDC", 101),
        ["diastolicMmHg"] = ("61", "mm[Hg]^mm[Hg]^UCUM", "266016^MDC_DIM_MMHG^MDC", 61),
        ["meanArterialMmHg"] = ("74", "mm[Hg]^mm[Hg]^UCUM", "266016^MDC_DIM_MMHG^MDC", 74),
        ["spO2Percent"] = ("93", "%^%^UCUM", "262688^MDC_DIM_PERCENT^MDC", 93),
        ["fio2Percent"] = ("35", "%^%^UCUM", "262688^MDC_DIM_PERCENT^MDC", 35),
        ["oxygenFlowLPerMin"] = ("4.5", "L/min^L/min^UCUM", "265216^MDC_DIM_X_L_PER_MIN^MDC", 4.5),
    };

    /// <summary>The rows of the code table of docs/hl7v2.md: code, system, reference id, event field.</summary>
    public static TheoryData<string, string, string, string> DocumentedCodes()
    {
        var rows = new TheoryData<string, string, string, string>();
        var doc = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "hl7v2.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("| code | system |", StringComparison.Ordinal));
        foreach (var line in doc.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            rows.Add(cells[1], cells[2], cells[3], cells[4]);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(DocumentedCodes))]
    public async Task Every_code_of_the_table_in_docs_hl7v2_md_is_recorded_in_its_field(string code, string system, string name, string field)
    {
        var (value, ucum, mdc, expected) = Readings[field];
        var at = Now;

        var ack = await SendAsync(Oru(NewControlId(), Patient, at, [Numeric($"{code}^{name}^{system}", value, system == "MDC" ? mdc : ucum)]));

        Assert.Equal("AA", ack.Code);
        Assert.Empty(ack.Errors);
        var recorded = Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal(expected, recorded.GetProperty(field).GetDouble());
        Assert.Equal(at.ToUnixTimeSeconds(), recorded.GetProperty("observedAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(Patient, recorded.GetProperty("patientId").GetString());
    }

    [Fact]
    public void The_table_in_docs_hl7v2_md_lists_exactly_the_codes_the_listener_takes()
    {
        var documented = DocumentedCodes().Select(r => ((string)r[1], (string)r[0], (string)r[2])).Order().ToList();

        Assert.Equal(Hl7v2.Hl7Codes.All.Select(c => (c.System, c.Code, c.Name)).Order().ToList(), documented);
    }

    [Theory]
    [InlineData("8310-5^Body temperature^LN", "101.3", "[degF]^[degF]^UCUM", "temperatureC", 38.5)]
    [InlineData("150364^MDC_TEMP_BODY^MDC", "101.3", "266560^MDC_DIM_FAHR^MDC", "temperatureC", 38.5)]
    [InlineData("150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "16", "265987^MDC_DIM_KILO_PASCAL^MDC", "systolicMmHg", 120)]
    [InlineData("150456^MDC_PULS_OXIM_SAT_O2^MDC", "96", "^MDC_DIM_PERCENT^MDC", "spO2Percent", 96)]
    [InlineData("^MDC_ECG_HEART_RATE^MDC", "88", "{beat}/min^{beat}/min^UCUM", "heartRatePerMin", 88)]
    [InlineData("150456^SpO2^99PHILIPS^150456^MDC_PULS_OXIM_SAT_O2^MDC", "95", "%", "spO2Percent", 95)]
    [InlineData("147842^MDC_ECG_HEART_RATE^MDC", "71.5", "264864^MDC_DIM_BEAT_PER_MIN^MDC", "heartRatePerMin", 72)]
    public async Task Units_and_codes_are_read_in_MDC_and_UCUM_by_number_or_reference_id_and_converted(string code, string value, string unit, string field, double expected)
    {
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now, [Numeric(code, value, unit)]));

        Assert.Equal("AA", ack.Code);
        Assert.Equal(expected, Single(await ingestion.PublishedSinceLastCheckAsync()).GetProperty(field).GetDouble());
    }

    [Fact]
    public async Task The_public_PCD_01_blood_pressure_message_gets_one_commit_accept_and_is_recorded_as_one_event()
    {
        await ingestion.AdmitAsync("HO2009001");
        await ingestion.PublishedSinceLastCheckAsync(); // the admission

        var ack = await SendAsync(Sample("pcd01-nibp-acme-gateway.hl7"));

        // MSH-15 AL, MSH-16 NE: a commit ACK only, CA once the broker confirmed.
        Assert.Equal(("CA", "0104ef190d604db188c3"), (ack.Code, ack.ControlId));
        Assert.Empty(ack.Errors);
        Assert.Equal(["MSH", "^~\\&", "TOXICITY", "TOXICITY", "ACME_Gateway^080019FFFE3ED02D^EUI-64", "ACME Healthcare"], ack.Msh[..6]);
        Assert.Equal(("ACK^R01^ACK", "P", "2.6"), (ack.Msh[8], ack.Msh[10], ack.Msh[11]));
        var recorded = Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal(("HO2009001", 120, 80, 93, 63), (recorded.GetProperty("patientId").GetString(), recorded.GetProperty("systolicMmHg").GetInt32(),
            recorded.GetProperty("diastolicMmHg").GetInt32(), recorded.GetProperty("meanArterialMmHg").GetInt32(), recorded.GetProperty("heartRatePerMin").GetInt32()));
        Assert.Equal(DateTimeOffset.Parse("2011-06-02T04:58:42Z", CultureInfo.InvariantCulture), recorded.GetProperty("observedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_GE_monitor_message_with_many_OBX_is_refused_for_its_local_time_and_taken_with_an_offset_keeping_the_worse_of_two_channels()
    {
        var sample = Sample("ge-b40-pcd01.hl7", Patient);

        // GE prints OBR-7 without a UTC offset; this site configured no time zone: refused, naming OBR-7.
        var local = await SendAsync(sample);
        Assert.Equal(("AE", "004097134535"), (local.Code, local.ControlId));
        Assert.Equal(["OBR^1^7^1^1"], local.ErrorLocations);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());

        var at = DateTimeOffset.Parse("2013-01-22T13:41:00+01:00", CultureInfo.InvariantCulture);
        var ack = await SendAsync(sample.Replace("|004097134535|", "|004097134536|", StringComparison.Ordinal)
            .Replace("|||20130122134100\r", "|||20130122134100+0100\r", StringComparison.Ordinal));

        // MSH-15 NE, MSH-16 AL: the application ACK only.
        Assert.Equal(("AA", "004097134536"), (ack.Code, ack.ControlId));
        var recorded = Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal((80, 30, 37.1, 100, at), (recorded.GetProperty("heartRatePerMin").GetInt32(), recorded.GetProperty("respiratoryRatePerMin").GetInt32(),
            recorded.GetProperty("temperatureC").GetDouble(), recorded.GetProperty("spO2Percent").GetInt32(), recorded.GetProperty("observedAt").GetDateTimeOffset()));
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("systolicMmHg").ValueKind);

        // Left out, as warnings: the three invasive pressures and the PVC rate (codes not taken), the lower of the two
        // respiration rates and of the two temperatures.
        Assert.Equal(new[] { "OBX^4^3^1^1", "OBX^5^3^1^1", "OBX^6^3^1^1", "OBX^9^3^1^1", "OBX^12^5^1^1", "OBX^17^5^1^1" }.Order(StringComparer.Ordinal),
            ack.Warnings.Select(w => w.Location).Order(StringComparer.Ordinal));
        Assert.All(ack.Warnings, w => Assert.Equal("W", w.Severity));
        Assert.DoesNotContain("KITTY", ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_delimiters_escapes_and_repetitions_are_read_and_the_ACK_escapes_what_it_echoes()
    {
        var at = Now;
        var message = MllpClient.Message(
            $"MSH#$*@%#GW#WARD#####ORU$R01#C|^{Guid.NewGuid():N}"[..60] + "#P#2.5.1",
            $"PID###MRN-1$$$HOSP$MR*{Patient}$$${IngestionFixture.AssigningAuthority}%2.16.840.1.113883.3.72%ISO$PI##Name@T@With@S@Marks",
            $"OBR#1######{Time(at)}",
            "OBX#1#NM#150364$MDC@S@TEMP@S@BODY$MDC#1.1.1.1#38@X2E@6#268192$MDC_DIM_DEGC$MDC#####F");

        var ack = await SendAsync(message);

        Assert.Equal("AA", ack.Code);
        Assert.StartsWith(@"C\F\\S\", ack.ControlId, StringComparison.Ordinal); // MSH-10 "C|^…" is plain text in '#' delimiters, escaped in ours
        Assert.Equal(38.6, Single(await ingestion.PublishedSinceLastCheckAsync()).GetProperty("temperatureC").GetDouble());
    }

    [Fact]
    public async Task Bytes_before_the_start_block_close_the_connection_and_nothing_is_published()
    {
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);
        await mllp.WriteAsync(Encoding.ASCII.GetBytes(Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")]) + "\x1c\r"));

        Assert.True(await mllp.ClosedByListenerAsync(Closing));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [InlineData("close")]
    [InlineData("new frame")]
    [InlineData("no CR")]
    public async Task A_truncated_frame_or_an_FS_without_CR_is_never_answered_or_recorded(string how)
    {
        var message = Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")]);
        var bytes = Encoding.ASCII.GetBytes(message);
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);

        switch (how)
        {
            case "close":
                await mllp.WriteAsync([MllpClient.StartBlock, .. bytes[..(bytes.Length / 2)]]);
                break;
            case "new frame":
                await mllp.WriteAsync([MllpClient.StartBlock, .. bytes[..(bytes.Length / 2)], MllpClient.StartBlock, .. bytes, MllpClient.EndBlock, MllpClient.CarriageReturn]);
                Assert.True(await mllp.ClosedByListenerAsync(Closing));
                break;
            default:
                await mllp.WriteAsync([MllpClient.StartBlock, .. bytes, MllpClient.EndBlock, (byte)'X']);
                Assert.True(await mllp.ClosedByListenerAsync(Closing));
                break;
        }

        await mllp.DisposeAsync();
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_10_MB_frame_closes_the_connection_and_nothing_is_published()
    {
        var head = Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")]);
        var filler = string.Concat(Enumerable.Repeat("NTE|1||" + new string('x', 990) + "\r", 10 * 1024));
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);

        try
        {
            await mllp.WriteFrameAsync(head + filler);
        }
        catch (IOException)
        {
            // the listener reset the connection while the sender was still writing
        }

        Assert.True(await mllp.ClosedByListenerAsync(Closing));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_sender_too_slow_to_finish_its_frame_is_disconnected_and_nothing_is_published()
    {
        var bytes = Encoding.ASCII.GetBytes(Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")]));
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);

        await mllp.WriteAsync([MllpClient.StartBlock, .. bytes[..20]]);

        // The listener closes it after FrameTimeoutSeconds (2 s here); reading waits for that, nothing is slept.
        Assert.True(await mllp.ClosedByListenerAsync(Closing));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [InlineData("A:L", "NE", "MSH^1^15^1^1")]
    [InlineData("NE", "ALWAYS", "MSH^1^16^1^1")]
    public async Task An_acknowledgement_condition_outside_table_0155_is_rejected_in_original_mode_naming_the_field(string accept, string application, string location)
    {
        // Found by the MLLP fuzz run (FuzzTests, seed 2112): a sender whose MSH-15 is not a condition waited for ever.
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")], acceptAck: accept, applicationAck: application));

        Assert.Equal("AR", ack.Code);
        Assert.Equal([(location, "103")], ack.Errors.Select(e => (e.Location, e.Code)));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [InlineData("2.7", "ORU^R01", "P", "MSH^1^12^1^1", "203")]
    [InlineData("2.2", "ORU^R01", "P", "MSH^1^12^1^1", "203")]
    [InlineData("2.6", "ADT^A01", "P", "MSH^1^9^1^1", "200")]
    [InlineData("2.6", "ORU^R30", "P", "MSH^1^9^1^2", "201")]
    [InlineData("2.6", "ORU^R01", "T", "MSH^1^11^1^1", "202")]
    public async Task A_message_type_version_or_processing_id_not_taken_is_rejected_with_AR_naming_the_field(string version, string type, string processing, string location, string code)
    {
        var message = Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM")], version)
            .Replace("|ORU^R01^ORU_R01|", $"|{type}|", StringComparison.Ordinal).Replace($"|P|{version}|", $"|{processing}|{version}|", StringComparison.Ordinal);

        var ack = await SendAsync(message);

        Assert.Equal("AR", ack.Code);
        if (Hl7v2.Acks.Version(version) >= 25)
        {
            Assert.Equal([(location, code)], ack.Errors.Select(e => (e.Location, e.Code)));
        }
        else
        {
            Assert.StartsWith($"{location[..location.LastIndexOf('^')][..^2]}^{code}&", ack.Field("ERR", 1), StringComparison.Ordinal);
        }

        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_patient_not_admitted_or_without_the_assigning_authority_gets_AE_naming_PID_3_and_nothing_is_published()
    {
        var temperature = Numeric("150364^MDC_TEMP_BODY^MDC", "39.5", "Cel^^UCUM");

        var unknown = await SendAsync(Oru(NewControlId(), "never-admitted-7", Now, [temperature]));
        var noAuthority = await SendAsync(Oru(NewControlId(), Patient, Now, [temperature]).Replace($"^^^{IngestionFixture.AssigningAuthority}^PI", "^^^HOSP^MR", StringComparison.Ordinal));
        var noPid = await SendAsync(Oru(NewControlId(), Patient, Now, [temperature]).Replace($"PID|||{Patient}^^^{IngestionFixture.AssigningAuthority}^PI\r", string.Empty, StringComparison.Ordinal));

        Assert.Equal(("AE", "PID^1^3^1^1", "204"), (unknown.Code, unknown.Errors.Single().Location, unknown.Errors.Single().Code));
        Assert.Equal(("AE", "PID^1^3^1^4", "101"), (noAuthority.Code, noAuthority.Errors.Single().Location, noAuthority.Errors.Single().Code));
        Assert.Equal("AE", noPid.Code);
        Assert.Contains(noPid.Errors, e => e.Location.StartsWith("PID", StringComparison.Ordinal) || e.Location.StartsWith("OBR", StringComparison.Ordinal));
        Assert.DoesNotContain("never-admitted-7", unknown.Text, StringComparison.Ordinal);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|500|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R", "OBX^1^5^1^1", "102")]
    [InlineData("NM|150364^MDC_TEMP_BODY^MDC|1.1.1.1|101.3|268192^MDC_DIM_DEGC^MDC|||||R", "OBX^1^5^1^1", "102")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||", "OBX^1^11^1^1", "101")]
    [InlineData("ST|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R", "OBX^1^2^1^1", "102")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|eighty|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R", "OBX^1^5^1^1", "102")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|266016^MDC_DIM_MMHG^MDC|||||R", "OBX^1^6^1^1", "103")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261201", "OBX^1^14^1^1", "102")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20991201101500+0000", "OBX^1^14^1^1", "102")]
    [InlineData("NM|147842^MDC_ECG_HEART_RATE^MDC^150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R", "OBX^1^3^1^4", "102")]
    public async Task Bad_content_gets_AE_with_an_ERR_naming_segment_field_and_reason_and_nothing_is_published(string obx, string location, string code)
    {
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now, [obx]));

        Assert.Equal("AE", ack.Code);
        var error = Assert.Single(ack.Errors);
        Assert.Equal((location, code, "E"), (error.Location, error.Code, error.Severity));
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.Equal(error.Reason[..Math.Min(20, error.Reason.Length)], ack.Field("MSA", 3)[..Math.Min(20, error.Reason.Length)]);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task Unknown_codes_and_results_not_to_record_are_left_out_with_warnings_and_the_rest_is_recorded()
    {
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now,
        [
            Numeric("150364^MDC_TEMP_BODY^MDC", "38.2", "268192^MDC_DIM_DEGC^MDC"),
            Numeric("188736^MDC_MASS_BODY_ACTUAL^MDC", "70", "263875^MDC_DIM_KILO_G^MDC"),
            Numeric("147842^MDC_ECG_HEART_RATE^MDC", "140", "264864^MDC_DIM_BEAT_PER_MIN^MDC", status: "X"),
            Numeric("151562^MDC_RESP_RATE^MDC", "40", "264928^MDC_DIM_RESP_PER_MIN^MDC", status: "D"),
            Numeric("150456^MDC_PULS_OXIM_SAT_O2^MDC", "97", "262688^MDC_DIM_PERCENT^MDC", status: "C"),
        ]));

        Assert.Equal("AA", ack.Code);
        Assert.Equal([("OBX^2^3^1^1", "103"), ("OBX^3^11^1^1", "103"), ("OBX^4^11^1^1", "103")], ack.Warnings.Select(w => (w.Location, w.Code)));
        var recorded = Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal((38.2, 97), (recorded.GetProperty("temperatureC").GetDouble(), recorded.GetProperty("spO2Percent").GetInt32()));
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("heartRatePerMin").ValueKind);
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("respiratoryRatePerMin").ValueKind);
    }

    [Fact]
    public async Task An_OBR_group_becomes_one_event_per_observation_time_OBX_14_before_OBR_7()
    {
        var at = Now.AddMinutes(-10);
        var later = at.AddMinutes(5);
        var ack = await SendAsync(Oru(NewControlId(), Patient, at,
        [
            Numeric("150364^MDC_TEMP_BODY^MDC", "38.2", "Cel^^UCUM"),
            Numeric("147842^MDC_ECG_HEART_RATE^MDC", "101", "/min^^UCUM"),
            Numeric("150364^MDC_TEMP_BODY^MDC", "38.9", "Cel^^UCUM", time: Time(later)),
        ]));

        Assert.Equal("AA", ack.Code);
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.Equal([(at.ToUnixTimeSeconds(), 38.2), (later.ToUnixTimeSeconds(), 38.9)],
            published.Select(e => (e.GetProperty("observedAt").GetDateTimeOffset().ToUnixTimeSeconds(), e.GetProperty("temperatureC").GetDouble())));
        Assert.Equal(101, published[0].GetProperty("heartRatePerMin").GetInt32());
    }

    [Fact]
    public async Task A_resent_MSH_10_gets_the_same_answer_and_publishes_nothing_new_also_after_a_restart_and_another_message_under_it_is_refused()
    {
        var at = Now;
        var message = Oru(NewControlId(), Patient, at, [Numeric("150364^MDC_TEMP_BODY^MDC", "38.3", "Cel^^UCUM"), Numeric("188736^MDC_MASS_BODY_ACTUAL^MDC", "70", "kg^^UCUM")]);

        var first = await SendAsync(message);
        var published = await ingestion.PublishedSinceLastCheckAsync();
        var resent = await SendAsync(message.Replace($"|||{Time(at)}||ORU", "|||20261201000000+0000||ORU", StringComparison.Ordinal)); // a new MSH-7
        await ingestion.RestartAsync();
        var afterRestart = await SendAsync(message);
        var other = await SendAsync(message.Replace("|38.3|", "|38.4|", StringComparison.Ordinal));

        Assert.Equal("AA", first.Code);
        Assert.Single(published);
        Assert.Single(first.Warnings);
        Assert.Equal(first.Answer, resent.Answer);
        Assert.Equal(first.Answer, afterRestart.Answer);
        Assert.Equal(("AE", "MSH^1^10^1^1", "205"), (other.Code, other.Errors.Single().Location, other.Errors.Single().Code));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task With_the_broker_cut_the_answer_is_AR_and_the_resend_once_it_is_back_is_recorded_once()
    {
        var message = Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "39.1", "Cel^^UCUM")]);

        await ingestion.Proxy.CutAsync();
        Ack refused;
        try
        {
            refused = await SendAsync(message);
        }
        finally
        {
            ingestion.Proxy.Open();
        }

        var accepted = await Eventually.That(() => SendAsync(message), a => a.Code == "AA", TimeSpan.FromSeconds(60), "the resend is accepted once the broker is back");

        Assert.Equal(("AR", "MSH^1^10^1^1", "207"), (refused.Code, refused.Errors.Single().Location, refused.Errors.Single().Code));
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.NotEmpty(published);
        Assert.Single(published.Select(e => e.GetProperty("eventId").GetGuid()).Distinct());
        Assert.Equal("AA", accepted.Code);
    }

    [Theory]
    [InlineData("AL", "NE", "CA")]
    [InlineData("NE", "AL", "AA")]
    [InlineData("AL", "AL", "CA,AA")]
    [InlineData("", "AL", "CA,AA")]
    [InlineData("SU", "ER", "CA")]
    public async Task Enhanced_mode_sends_the_acknowledgements_MSH_15_and_MSH_16_ask_for(string acceptAck, string applicationAck, string expected)
    {
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);
        var controlId = NewControlId();
        await mllp.WriteFrameAsync(Oru(controlId, Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "37.2", "Cel^^UCUM")], acceptAck: acceptAck, applicationAck: applicationAck));

        var codes = new List<string>();
        foreach (var _ in expected.Split(','))
        {
            codes.Add(Read(await mllp.ReadFrameAsync(TimeSpan.FromSeconds(30)) ?? throw new IOException("no ACK")).Code);
        }

        Assert.Equal(expected.Split(','), codes);
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync());

        // The next message on the same connection is answered: no ACK was left over.
        var next = await mllp.SendAsync(Oru(NewControlId(), Patient, Now, [Numeric("150364^MDC_TEMP_BODY^MDC", "37.3", "Cel^^UCUM")]));
        Assert.Equal("AA", Read(next).Code);
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_refused_message_in_enhanced_mode_gets_a_commit_error()
    {
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now, [Numeric("147842^MDC_ECG_HEART_RATE^MDC", "500", "/min^^UCUM")], acceptAck: "AL", applicationAck: "NE"));

        Assert.Equal(("CE", "OBX^1^5^1^1"), (ack.Code, ack.ErrorLocations.Single()));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_version_2_3_message_is_answered_in_2_3_with_the_error_in_ERR_1()
    {
        var ack = await SendAsync(Oru(NewControlId(), Patient, Now, [Numeric("147842^MDC_ECG_HEART_RATE^MDC", "500", "/min^^UCUM")], version: "2.3"));

        Assert.Equal(("AE", "ACK^R01", "2.3"), (ack.Code, ack.Msh[8], ack.Msh[11]));
        Assert.Equal("OBX^1^5^102&Data type error&HL70357", ack.Field("ERR", 1));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task Many_messages_on_one_connection_are_each_answered_in_order()
    {
        await using var mllp = await MllpClient.ConnectAsync(ingestion.MllpPort);
        var ids = Enumerable.Range(0, 20).Select(_ => NewControlId()).ToList();

        var answers = new List<string>();
        foreach (var id in ids)
        {
            answers.Add(Read(await mllp.SendAsync(Oru(id, Patient, Now, [Numeric("150456^MDC_PULS_OXIM_SAT_O2^MDC", "97", "%^^UCUM")]))).ControlId);
        }

        Assert.Equal(ids, answers);
        Assert.Equal(20, (await ingestion.PublishedSinceLastCheckAsync()).Count);
    }
}
