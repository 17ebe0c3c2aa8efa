using Daxdi.Application.Abstractions.Payments;
using Daxdi.Domain.Payments;
using NBitcoin;
using NBitcoin.Payment;
using QRCoder;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary><see cref="IPaymentUris"/>: BIP21 by NBitcoin's <see cref="BitcoinUrlBuilder"/>, the QR code by QRCoder's SVG renderer (no System.Drawing).</summary>
public sealed class PaymentUris : IPaymentUris
{
    /// <summary>21 000 000 BTC in satoshis: no amount can be more.</summary>
    public const long MaxSats = 21_000_000L * 100_000_000L;

    // Each module a 1×1 square of the viewBox: the SVG has no fixed size and scales to whatever box shows it.
    private const int PixelsPerModule = 1;

    public string Bip21(string address, BitcoinNetwork network, long amountSats, string? label)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountSats);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amountSats, MaxSats);
        var nbitcoin = network.ToNBitcoin();
        BitcoinAddress parsed;
        try
        {
            // Every address Daxdi hands out is native segwit (BIP84). BitcoinAddress.Create would first try it as
            // Base58 and throw and catch a FormatException inside NBitcoin on every intent created or polled.
            parsed = new BitcoinWitPubKeyAddress(address, nbitcoin);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Not an address of {network}.", nameof(address), e);
        }

        var builder = new BitcoinUrlBuilder(nbitcoin) { Address = parsed, Amount = Money.Satoshis(amountSats) };
        if (!string.IsNullOrEmpty(label))
        {
            builder.Label = label;
        }

        // ToString percent-encodes the label (the Uri property would show it unescaped).
        return builder.ToString();
    }

    public string QrCodeSvg(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        // M: 15 % of the code may be damaged (a smudged screen, a glare) and it still reads.
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(PixelsPerModule, "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
