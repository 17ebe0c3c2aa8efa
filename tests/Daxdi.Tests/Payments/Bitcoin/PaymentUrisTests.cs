using System.Globalization;
using System.Xml.Linq;
using Daxdi.Domain.Payments;
using Daxdi.Infrastructure.Bitcoin;
using NBitcoin;
using NBitcoin.Payment;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>BIP21 URIs as a wallet reads them back, and the SVG QR code of one.</summary>
public sealed class PaymentUrisTests
{
    private const string Address = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu";
    private const string TestAddress = "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl";

    private readonly PaymentUris _uris = new();

    [Fact]
    public void A_BIP21_URI_has_the_address_the_amount_in_BTC_and_the_label_percent_encoded()
    {
        Assert.Equal($"bitcoin:{Address}?amount=0.00012345&label=Daxdi%20membership",
            _uris.Bip21(Address, BitcoinNetwork.Mainnet, 12_345, "Daxdi membership"));
        Assert.Equal($"bitcoin:{TestAddress}?amount=0.00012345", _uris.Bip21(TestAddress, BitcoinNetwork.Testnet, 12_345, null));
        Assert.Equal($"bitcoin:{TestAddress}?amount=0.00012345", _uris.Bip21(TestAddress, BitcoinNetwork.Signet, 12_345, ""));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(100_000_000L)]
    [InlineData(123_456_789_012L)]
    [InlineData(PaymentUris.MaxSats)]
    public void A_wallet_reads_back_the_exact_amount_and_label(long sats)
    {
        const string label = "Rivista & Co. #1 = 100% ?/é";

        var uri = _uris.Bip21(Address, BitcoinNetwork.Mainnet, sats, label);

        var read = new BitcoinUrlBuilder(uri, Network.Main);
        Assert.Equal(Address, read.Address!.ToString());
        Assert.Equal(sats, read.Amount!.Satoshi);
        Assert.Equal(label, read.Label);
        Assert.DoesNotContain(' ', uri);
        Assert.DoesNotContain('#', uri);
        // The amount is the decimal BTC amount, with a dot whatever the culture.
        var amount = uri.Split("amount=")[1].Split('&')[0];
        Assert.Equal(sats, (long)(decimal.Parse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100_000_000m));
    }

    [Fact]
    public void An_address_is_read_without_an_exception_thrown_and_caught_on_the_way()
    {
        var thread = Environment.CurrentManagedThreadId;
        var thrown = new List<string>();
        void Record(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                thrown.Add($"{e.Exception.GetType().Name}: {e.Exception.Message}");
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            // Receive addresses 9 (mainnet) and 7 (testnet) of the BIP84 vector's mnemonic: none of their characters is
            // outside the Base58 alphabet (0, l), so reading them as Base58 first gets as far as the checksum and throws.
            _uris.Bip21("bc1qgswpjzsqgrm2qkfkf9kzqpw6642ptrgzapvh9y", BitcoinNetwork.Mainnet, 12_345, "Daxdi membership");
            _uris.Bip21("tb1qfsryn6hh2yhpxpp7m9dh54x89wettyfk45jn6y", BitcoinNetwork.Testnet, 12_345, null);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(thrown);
    }

    [Fact]
    public void An_address_of_another_network_or_an_amount_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _uris.Bip21(TestAddress, BitcoinNetwork.Mainnet, 1, null));
        Assert.Throws<ArgumentException>(() => _uris.Bip21(Address, BitcoinNetwork.Regtest, 1, null));
        Assert.Throws<ArgumentException>(() => _uris.Bip21("not an address", BitcoinNetwork.Mainnet, 1, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => _uris.Bip21(Address, BitcoinNetwork.Mainnet, 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => _uris.Bip21(Address, BitcoinNetwork.Mainnet, -1, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => _uris.Bip21(Address, BitcoinNetwork.Mainnet, PaymentUris.MaxSats + 1, null));
    }

    [Fact]
    public void The_QR_code_is_a_standalone_SVG_that_scales_by_its_viewBox()
    {
        var uri = _uris.Bip21(Address, BitcoinNetwork.Mainnet, 12_345, "Daxdi membership");

        var svg = _uris.QrCodeSvg(uri);

        var root = XDocument.Parse(svg).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", root.Name);
        Assert.Null(root.Attribute("width"));
        var box = root.Attribute("viewBox")!.Value.Split(' ').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0, box[0]);
        Assert.Equal(0, box[1]);
        Assert.Equal(box[2], box[3]);
        // A QR code of version v has 17 + 4v modules a side, and the quiet zone 4 more on each side.
        Assert.Equal(0, (box[2] - 8 - 17) % 4);
        Assert.InRange((box[2] - 8 - 17) / 4, 1, 40);
        Assert.Contains(root.Descendants(), e => e.Name == ns + "path" && (string?)e.Attribute("fill") == "#000000");
        Assert.Equal(svg, _uris.QrCodeSvg(uri));
        Assert.NotEqual(svg, _uris.QrCodeSvg(uri.Replace("12345", "12346", StringComparison.Ordinal)));
    }
}
