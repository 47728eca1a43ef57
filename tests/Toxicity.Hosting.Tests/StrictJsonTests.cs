using System.Text;
using Xunit;

namespace Toxicity.Hosting.Tests;

/// <summary>The checks before a JSON body is read (issue 21): UTF-8, JSON, no lone surrogate, no key twice; each named where.</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"patientId":"p-1","vasopressors":[{"drug":"a"},{"drug":"b"}],"nested":{"drug":"c"}}""")]
    [InlineData("""{"text":"\ud83d\ude00 a surrogate pair is one character"}""")]
    [InlineData("""[1,2,{"a":1},{"a":2}]""")]
    public void A_body_that_is_well_formed_passes(string json) => Assert.Null(StrictJson.Check(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"patientId":"p-1","patientId":"p-2"}""", "patientId", "twice")]
    [InlineData("""{"a":{"b":1,"b":2}}""", "a.b", "twice")]
    [InlineData("""{"vasopressors":[{"drug":"a"},{"drug":"a","drug":"b"}]}""", "vasopressors[1].drug", "twice")]
    [InlineData("""{"patientId":"\ud800"}""", "patientId", "lone surrogate")]
    [InlineData("""{"list":["ok","\udc00"]}""", "list[1]", "lone surrogate")]
    [InlineData("""{"\ud800":1}""", "$", "lone surrogate")]
    [InlineData("""{"a":1""", "$", "not valid JSON")]
    public void A_fault_is_named_where_it_is(string json, string path, string why)
    {
        var fault = StrictJson.Check(Encoding.UTF8.GetBytes(json));
        Assert.NotNull(fault);
        Assert.Equal(path, fault.Path);
        Assert.Contains(why, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_and_nesting_deeper_than_the_limit_are_faults_of_the_body()
    {
        byte[] invalid = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal(("$", true), (StrictJson.Check(invalid)!.Path, StrictJson.Check(invalid)!.Message.Contains("UTF-8 (byte 7)", StringComparison.Ordinal)));
        var deep = Encoding.UTF8.GetBytes(new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1));
        Assert.Equal("$", StrictJson.Check(deep)!.Path);
        var deepest = Encoding.UTF8.GetBytes(new string('[', StrictJson.MaxDepth) + new string(']', StrictJson.MaxDepth));
        Assert.Null(StrictJson.Check(deepest));
    }
}
