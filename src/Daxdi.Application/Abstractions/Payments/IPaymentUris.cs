using Daxdi.Domain.Payments;

namespace Daxdi.Application.Abstractions.Payments;

/// <summary>What a wallet app scans or opens to pay an intent: its BIP21 URI and a QR code of it. Thread-safe; a singleton.</summary>
public interface IPaymentUris
{
    /// <summary>
    /// The BIP21 URI <c>bitcoin:{address}?amount={BTC}&amp;label={label}</c>, the amount in BTC with a dot (e.g.
    /// <c>0.00012345</c>), the label percent-encoded.
    /// </summary>
    /// <param name="amountSats">1 to 21 000 000 BTC in satoshis.</param>
    /// <param name="label">Shown by the payer's wallet (e.g. the site's name); omitted when null or empty.</param>
    /// <exception cref="ArgumentException">The address is not one of <paramref name="network"/>, or the amount is out of range.</exception>
    string Bip21(string address, BitcoinNetwork network, long amountSats, string? label);

    /// <summary>A QR code of <paramref name="text"/> as a standalone SVG document (black on white, quiet zone, scales by its <c>viewBox</c>).</summary>
    string QrCodeSvg(string text);
}
