using Daxdi.Api.Hosting;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Application.Security;
using Daxdi.Domain.Common;
using Microsoft.AspNetCore.Http;

namespace Daxdi.Tests.Unit;

public sealed class PrimitivesTests
{
    [Fact]
    public void Generated_api_keys_are_distinct_well_formed_and_match_only_their_own_hash()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys, k => Assert.True(ApiKeySecret.LooksLikeKey(k)));
        Assert.True(ApiKeySecret.Matches(keys[0], ApiKeySecret.Hash(keys[0])));
        Assert.False(ApiKeySecret.Matches(keys[0], ApiKeySecret.Hash(keys[1])));
    }

    [Theory]
    [InlineData("dx_tooshort")]
    [InlineData("xx_0123456789012345678901234567890123456789")]
    [InlineData("dx_0123456789012345678901234567890123456789!")]
    [InlineData("")]
    public void Strings_that_are_not_api_keys_are_recognised(string value) => Assert.False(ApiKeySecret.LooksLikeKey(value));

    [Fact]
    public void Cursors_round_trip_and_reject_tampering()
    {
        var cursor = Cursor.Encode("site-b");

        Assert.True(Cursor.TryDecode(cursor, 1, out var values));
        Assert.Equal(["site-b"], values);
        Assert.False(Cursor.TryDecode(cursor, 2, out _));
        Assert.False(Cursor.TryDecode("%%%", 1, out _));
        Assert.False(Cursor.TryDecode(Cursor.Encode("a", "b") + "x", 2, out _));
        Assert.False(Cursor.TryDecode(new string('A', Cursor.MaxLength + 1), 1, out _));
    }

    [Theory]
    [InlineData("https://news.example", true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("https://news.example/", false)]
    [InlineData("https://news.example/path", false)]
    [InlineData("HTTPS://NEWS.EXAMPLE", false)]
    [InlineData("wss://news.example", false)]
    public void Origins_must_be_scheme_host_and_port_only(string origin, bool valid) =>
        Assert.Equal(valid, SiteFieldsValidator.IsAbsoluteOrigin(origin));

    [Theory]
    [InlineData("\"3\"", 3)]
    [InlineData("*", null)]
    [InlineData("", null)]
    public void If_match_yields_the_expected_version(string header, int? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.IfMatch = header;

        Assert.Equal(expected, ETags.ParseIfMatch(http.Request));
    }

    [Theory]
    [InlineData("W/\"3\"")]
    [InlineData("\"abc\"")]
    [InlineData("3")]
    public void A_weak_or_malformed_if_match_fails_the_precondition(string header)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.IfMatch = header;

        var error = Assert.Throws<DomainException>(() => ETags.ParseIfMatch(http.Request));
        Assert.Equal(ErrorKind.PreconditionFailed, error.Kind);
    }

    [Fact]
    public void Timestamps_are_utc_whole_milliseconds_and_a_time_without_offset_is_utc()
    {
        var unspecified = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Unspecified).AddTicks(1234567);

        var normalized = Clock.Normalize(unspecified);

        Assert.Equal(DateTimeKind.Utc, normalized.Kind);
        Assert.Equal(new DateTime(2026, 12, 1, 8, 0, 0, 123, DateTimeKind.Utc), normalized);
        Assert.Equal(normalized, Clock.Normalize(normalized));
    }
}
