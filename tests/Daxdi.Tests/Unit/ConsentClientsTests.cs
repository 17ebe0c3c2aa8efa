using System.Net;
using Daxdi.Api.Hosting.Consent;

namespace Daxdi.Tests.Unit;

/// <summary>What a consent record keeps of the client: never the raw address or the user agent.</summary>
public sealed class ConsentClientsTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.0/24")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48")]
    public void Addresses_are_truncated_to_their_network_by_default(string address, string kept) =>
        Assert.Equal(kept, new ConsentClients(new ConsentRequestOptions()).Address(IPAddress.Parse(address)));

    [Fact]
    public void Hashed_addresses_match_each_other_but_do_not_show_the_address()
    {
        var clients = new ConsentClients(new ConsentRequestOptions { ClientAddress = ClientAddressMode.Hash, ClientAddressHashKey = new string('k', 32) });
        var other = new ConsentClients(new ConsentRequestOptions { ClientAddress = ClientAddressMode.Hash, ClientAddressHashKey = new string('j', 32) });

        var kept = clients.Address(IPAddress.Parse("203.0.113.77"));

        Assert.StartsWith("hmac:", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("203", kept, StringComparison.Ordinal);
        Assert.Equal(kept, clients.Address(IPAddress.Parse("203.0.113.77")));
        Assert.NotEqual(kept, clients.Address(IPAddress.Parse("203.0.113.78")));
        Assert.NotEqual(kept, other.Address(IPAddress.Parse("203.0.113.77")));
        Assert.Null(new ConsentClients(new ConsentRequestOptions { ClientAddress = ClientAddressMode.None }).Address(IPAddress.Parse("203.0.113.77")));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari")]
    [InlineData("curl/8.5.0", "Other")]
    [InlineData("", null)]
    public void Only_the_browser_family_is_kept(string userAgent, string? family) =>
        Assert.Equal(family, ConsentClients.BrowserFamily(userAgent));
}
