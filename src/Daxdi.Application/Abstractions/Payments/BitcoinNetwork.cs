namespace Daxdi.Application.Abstractions.Payments;

/// <summary>
/// The Bitcoin chain a site's wallet lives on. Its extended public keys, addresses and Esplora server must all be of
/// this chain; a key or an address of another chain is refused.
/// </summary>
/// <remarks>To move to the domain (with the wallet settings) when the payments work is merged.</remarks>
public enum BitcoinNetwork
{
    /// <summary>The real chain: <c>xpub</c>/<c>zpub</c> keys, <c>bc1q…</c> addresses.</summary>
    Mainnet,

    /// <summary>testnet3: <c>tpub</c>/<c>vpub</c> keys, <c>tb1q…</c> addresses.</summary>
    Testnet,

    /// <summary>The default signet: the same key and address prefixes as testnet (<c>tpub</c>/<c>vpub</c>, <c>tb1q…</c>).</summary>
    Signet,

    /// <summary>A local test chain: <c>tpub</c>/<c>vpub</c> keys, <c>bcrt1q…</c> addresses.</summary>
    Regtest,
}
