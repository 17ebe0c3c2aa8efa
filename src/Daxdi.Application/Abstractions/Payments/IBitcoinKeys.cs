using Daxdi.Domain.Payments;

namespace Daxdi.Application.Abstractions.Payments;

/// <summary>
/// Watch-only wallet keys: reads the account-level extended public key a site's owner pastes, and derives the
/// receive addresses of that account. No private key ever reaches the server: one is refused, and the refusal never
/// repeats it. Thread-safe; a singleton.
/// </summary>
public interface IBitcoinKeys
{
    /// <summary>
    /// Reads an account-level extended public key of <paramref name="network"/>: <c>xpub</c> or <c>zpub</c> (SLIP-132,
    /// BIP84) on mainnet, <c>tpub</c> or <c>vpub</c> on testnet, signet and regtest. Surrounding white space is ignored.
    /// </summary>
    /// <returns>The key in its plain BIP32 form (<c>xpub…</c> or <c>tpub…</c>, whatever form was given) with its fingerprint.</returns>
    /// <exception cref="Daxdi.Domain.Common.DomainException">
    /// <see cref="Daxdi.Domain.Common.ErrorKind.Invalid"/> with code <see cref="WalletKeyErrors.PrivateKeyRefused"/>
    /// (an <c>xprv</c>/<c>tprv</c>/<c>zprv</c>/<c>vprv</c> or a WIF private key), <see cref="WalletKeyErrors.NetworkMismatch"/>
    /// (a key of another chain) or <see cref="WalletKeyErrors.InvalidKey"/> (anything else that is not such a key).
    /// No message contains the text given.
    /// </exception>
    AccountKey ParseAccountKey(string text, BitcoinNetwork network);

    /// <summary>
    /// The BIP84 native segwit (P2WPKH, bech32) receive address <c>account/0/index</c> of <paramref name="accountKey"/>:
    /// <c>bc1q…</c> on mainnet, <c>tb1q…</c> on testnet and signet, <c>bcrt1q…</c> on regtest.
    /// </summary>
    /// <param name="accountKey">An account key in any form <see cref="ParseAccountKey"/> accepts (normally its result's <see cref="AccountKey.Key"/>).</param>
    /// <param name="index">0 to 2<sup>31</sup> − 1 (non-hardened).</param>
    /// <exception cref="Daxdi.Domain.Common.DomainException">As <see cref="ParseAccountKey"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    string DeriveReceiveAddress(string accountKey, BitcoinNetwork network, int index);
}

/// <summary>An account-level extended public key as stored with a site's wallet settings.</summary>
/// <param name="Key">Base58Check BIP32 form of the network: <c>xpub…</c> on mainnet, <c>tpub…</c> elsewhere.</param>
/// <param name="Fingerprint">
/// The key's own BIP32 fingerprint, 8 lowercase hex digits: the first 4 bytes of HASH160 of its public key (what its
/// children carry as their parent fingerprint). Tells two wallets apart without showing the key.
/// </param>
/// <param name="Depth">The key's BIP32 depth: 3 for a BIP84 account key (<c>m/84'/0'/0'</c>), less for older wallets' exports.</param>
public sealed record AccountKey(string Key, string Fingerprint, int Depth);

/// <summary>The stable problem codes of <see cref="IBitcoinKeys"/>.</summary>
public static class WalletKeyErrors
{
    /// <summary>The text is not an extended public key that can be used here.</summary>
    public const string InvalidKey = "wallet.invalid_key";

    /// <summary>The text is a private key; the server is watch-only.</summary>
    public const string PrivateKeyRefused = "wallet.private_key_refused";

    /// <summary>The key belongs to another chain than the wallet's network.</summary>
    public const string NetworkMismatch = "wallet.network_mismatch";
}
