using System.Collections.Concurrent;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Domain.Payments;
using Daxdi.Domain.Common;
using NBitcoin;
using NBitcoin.DataEncoders;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// <see cref="IBitcoinKeys"/> on NBitcoin. The Base58Check payload's four version bytes say what a key is (BIP32 and
/// SLIP-132); a <c>zpub</c>/<c>vpub</c> is the same key as the <c>xpub</c>/<c>tpub</c> with other version bytes, so it
/// is rewritten to the BIP32 form, which is what is stored. Nothing here puts the text it was given in a message or
/// passes on an exception that might.
/// </summary>
public sealed class BitcoinKeys : IBitcoinKeys
{
    private const int ExtendedKeyLength = 78;

    // Byte 45 starts the key data: 0x00 and 32 bytes for a private key, 0x02/0x03 and 32 bytes for a public key.
    private const int KeyDataOffset = 45;

    /// <summary>Receive-chain keys kept at most; a node serves a few wallets, so this is only a bound.</summary>
    private const int MaxCachedChains = 1024;

    private static readonly Dictionary<uint, KeyVersion> Versions = new()
    {
        [0x0488b21e] = new("xpub", Mainnet: true, Kind.Public),
        [0x04b24746] = new("zpub", Mainnet: true, Kind.Public),
        [0x043587cf] = new("tpub", Mainnet: false, Kind.Public),
        [0x045f1cf6] = new("vpub", Mainnet: false, Kind.Public),
        [0x0488ade4] = new("xprv", Mainnet: true, Kind.Private),
        [0x04b2430c] = new("zprv", Mainnet: true, Kind.Private),
        [0x049d7878] = new("yprv", Mainnet: true, Kind.Private),
        [0x0295b005] = new("Yprv", Mainnet: true, Kind.Private),
        [0x02aa7a99] = new("Zprv", Mainnet: true, Kind.Private),
        [0x04358394] = new("tprv", Mainnet: false, Kind.Private),
        [0x045f18bc] = new("vprv", Mainnet: false, Kind.Private),
        [0x044a4e28] = new("uprv", Mainnet: false, Kind.Private),
        [0x024285b5] = new("Uprv", Mainnet: false, Kind.Private),
        [0x02575048] = new("Vprv", Mainnet: false, Kind.Private),
        // Other scripts than BIP84's single-key P2WPKH: their addresses would not be the wallet's.
        [0x049d7cb2] = new("ypub", Mainnet: true, Kind.OtherScript),
        [0x0295b43f] = new("Ypub", Mainnet: true, Kind.OtherScript),
        [0x02aa7ed3] = new("Zpub", Mainnet: true, Kind.OtherScript),
        [0x044a5262] = new("upub", Mainnet: false, Kind.OtherScript),
        [0x024289ef] = new("Upub", Mainnet: false, Kind.OtherScript),
        [0x02575483] = new("Vpub", Mainnet: false, Kind.OtherScript),
    };

    private enum Kind
    {
        Public,
        Private,
        OtherScript,
    }

    // The account's receive chain (account/0) by account key and network: reading the key (Base58Check, the curve point's
    // decompression) and deriving the chain took about half of an address's derivation, which runs under the site's lock
    // (docs/performance.md, payment intents). Only the last step, chain/index, is left per address.
    private readonly ConcurrentDictionary<(string Key, BitcoinNetwork Network), ExtPubKey> _receiveChains = new();

    public AccountKey ParseAccountKey(string text, BitcoinNetwork network)
    {
        var key = Read(text, network);
        var normalised = key.GetWif(network.ToNBitcoin()).ToString();
        return new AccountKey(normalised, key.PubKey.GetHDFingerPrint().ToString(), key.Depth);
    }

    public string DeriveReceiveAddress(string accountKey, BitcoinNetwork network, int index)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!_receiveChains.TryGetValue((accountKey, network), out var chain))
        {
            chain = Read(accountKey, network).Derive(0u);
            if (_receiveChains.Count >= MaxCachedChains)
            {
                _receiveChains.Clear();
            }

            _receiveChains[(accountKey, network)] = chain;
        }

        return chain.Derive((uint)index).PubKey.GetAddress(ScriptPubKeyType.Segwit, network.ToNBitcoin()).ToString();
    }

    /// <summary>The BIP84 address <c>account/{0|1}/index</c>: receive, or change (which intents never use; for the test vectors).</summary>
    internal static string DeriveAddress(string accountKey, BitcoinNetwork network, bool change, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var key = Read(accountKey, network);
        return key.Derive(change ? 1u : 0u).Derive((uint)index).PubKey
            .GetAddress(ScriptPubKeyType.Segwit, network.ToNBitcoin()).ToString();
    }

    private static ExtPubKey Read(string text, BitcoinNetwork network)
    {
        ArgumentNullException.ThrowIfNull(text);
        var networkName = network.ToString().ToLowerInvariant();
        byte[] data;
        try
        {
            data = Encoders.Base58Check.DecodeData(text.Trim());
        }
        catch (FormatException)
        {
            throw Invalid("This is not an extended public key: it is not Base58Check text with a valid checksum.");
        }

        if (IsWifPrivateKey(data))
        {
            throw PrivateKey();
        }

        if (data.Length != ExtendedKeyLength)
        {
            throw Invalid("This is not an extended public key: it has the wrong length.");
        }

        var version = (uint)(data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3]);
        Versions.TryGetValue(version, out var kind);
        if (kind?.Kind == Kind.Private || data[KeyDataOffset] == 0x00)
        {
            // Whatever its version bytes say, key data that starts with 0x00 is a private key.
            throw PrivateKey();
        }

        if (kind is null)
        {
            throw Invalid("This is not an extended public key of a kind Daxdi reads (xpub or zpub on mainnet; tpub or vpub on testnet, signet and regtest).");
        }

        if (kind.Kind == Kind.OtherScript)
        {
            throw Invalid($"A {kind.Prefix} is the key of another address type than native segwit (BIP84). Export the account's zpub or xpub (vpub or tpub off mainnet).");
        }

        if (kind.Mainnet != (network == BitcoinNetwork.Mainnet))
        {
            throw DomainException.Invalid(WalletKeyErrors.NetworkMismatch, kind.Mainnet
                ? $"This is a mainnet key ({kind.Prefix}) but the wallet's network is {networkName}: give a tpub or vpub."
                : $"This is a key for testnet, signet or regtest ({kind.Prefix}) but the wallet's network is mainnet: give an xpub or zpub.");
        }

        try
        {
            return new ExtPubKey(data.AsSpan(4));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Invalid("This is not an extended public key: its public key is not a point of the curve.");
        }
    }

    /// <summary>A WIF private key (<c>5…</c>, <c>K…</c>, <c>L…</c>, <c>9…</c>, <c>c…</c>): version 0x80 or 0xef, 32 bytes, 0x01 when compressed.</summary>
    private static bool IsWifPrivateKey(byte[] data) =>
        data.Length is 33 or 34 && data[0] is 0x80 or 0xef && (data.Length == 33 || data[33] == 0x01);

    private static DomainException Invalid(string message) => DomainException.Invalid(WalletKeyErrors.InvalidKey, message);

    private static DomainException PrivateKey() => DomainException.Invalid(WalletKeyErrors.PrivateKeyRefused,
        "This is a private key. Daxdi only watches payments and never holds one: remove it from wherever it was sent, " +
        "treat that wallet as exposed, and give the account's extended public key instead.");

    private sealed record KeyVersion(string Prefix, bool Mainnet, Kind Kind);
}
