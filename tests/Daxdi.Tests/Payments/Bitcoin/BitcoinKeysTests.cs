using Daxdi.Application.Abstractions.Payments;
using Daxdi.Domain.Payments;
using Daxdi.Domain.Common;
using Daxdi.Infrastructure.Bitcoin;
using NBitcoin;
using NBitcoin.DataEncoders;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>
/// Account keys and BIP84 addresses against the BIP's own test vectors, with the account keys derived here from the
/// vectors' mnemonic by NBitcoin (the private side never reaches <see cref="BitcoinKeys"/>); and every refusal with its
/// code, a private key never repeated.
/// </summary>
public sealed class BitcoinKeysTests
{
    // BIP84 test vectors.
    private const string Words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private const string Zpub = "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs";
    private const string FirstReceive = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu";
    private const string SecondReceive = "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g";
    private const string FirstChange = "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el";

    // The same mnemonic at m/84'/1'/0' (coin type 1): testnet, signet and regtest.
    private const string Vpub = "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc";
    private const string FirstTestReceive = "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl";

    private const uint XpubVersion = 0x0488b21e;
    private const uint ZpubVersion = 0x04b24746;
    private const uint TpubVersion = 0x043587cf;
    private const uint VpubVersion = 0x045f1cf6;
    private const uint ZprvVersion = 0x04b2430c;
    private const uint VprvVersion = 0x045f18bc;

    private static readonly ExtKey Root = new Mnemonic(Words).DeriveExtKey();
    private static readonly ExtKey MainAccount = Root.Derive(new KeyPath("m/84'/0'/0'"));
    private static readonly ExtKey TestAccount = Root.Derive(new KeyPath("m/84'/1'/0'"));
    private static readonly string Xpub = MainAccount.Neuter().ToString(Network.Main);
    private static readonly string Tpub = TestAccount.Neuter().ToString(Network.TestNet);

    private readonly BitcoinKeys _keys = new();

    [Fact]
    public void The_zpub_derived_from_the_mnemonic_is_the_BIPs_and_reads_as_its_xpub()
    {
        Assert.Equal(Zpub, WithVersion(Xpub, ZpubVersion));

        var key = _keys.ParseAccountKey(Zpub, BitcoinNetwork.Mainnet);

        Assert.Equal(Xpub, key.Key);
        Assert.StartsWith("xpub", key.Key, StringComparison.Ordinal);
        Assert.Equal(3, key.Depth);
        // Its own fingerprint: what its children carry as their parent's.
        Assert.Equal(MainAccount.Neuter().Derive(0).ParentFingerprint.ToString(), key.Fingerprint);
        Assert.Matches("^[0-9a-f]{8}$", key.Fingerprint);
        Assert.Equal(key, _keys.ParseAccountKey(Xpub, BitcoinNetwork.Mainnet));
        Assert.Equal(key, _keys.ParseAccountKey($"  {Zpub}\n", BitcoinNetwork.Mainnet));
    }

    [Theory]
    [InlineData(Zpub)]
    [InlineData("xpub")]
    public void Mainnet_addresses_are_the_BIP84_vectors(string form)
    {
        var key = form == "xpub" ? Xpub : form;

        Assert.Equal(FirstReceive, _keys.DeriveReceiveAddress(key, BitcoinNetwork.Mainnet, 0));
        Assert.Equal(SecondReceive, _keys.DeriveReceiveAddress(key, BitcoinNetwork.Mainnet, 1));
        Assert.Equal(FirstChange, BitcoinKeys.DeriveAddress(key, BitcoinNetwork.Mainnet, change: true, 0));
    }

    [Fact]
    public void Receive_addresses_are_the_ones_the_private_keys_of_the_wallet_have()
    {
        foreach (var index in new[] { 0, 1, 2, 19, 1000, int.MaxValue })
        {
            var expected = Root.Derive(new KeyPath($"m/84'/0'/0'/0/{index}")).GetPublicKey().GetAddress(ScriptPubKeyType.Segwit, Network.Main).ToString();
            Assert.Equal(expected, _keys.DeriveReceiveAddress(Zpub, BitcoinNetwork.Mainnet, index));
        }
    }

    [Theory]
    [InlineData(BitcoinNetwork.Testnet, FirstTestReceive)]
    [InlineData(BitcoinNetwork.Signet, FirstTestReceive)]
    [InlineData(BitcoinNetwork.Regtest, "bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk")]
    public void A_vpub_reads_as_its_tpub_and_gives_the_networks_addresses(BitcoinNetwork network, string firstAddress)
    {
        Assert.Equal(Vpub, WithVersion(Tpub, VpubVersion));

        var key = _keys.ParseAccountKey(Vpub, network);

        Assert.Equal(Tpub, key.Key);
        Assert.Equal(key, _keys.ParseAccountKey(Tpub, network));
        Assert.Equal(firstAddress, _keys.DeriveReceiveAddress(key.Key, network, 0));
        var nbitcoin = network switch
        {
            BitcoinNetwork.Testnet => Network.TestNet,
            BitcoinNetwork.Signet => NBitcoin.Bitcoin.Instance.Signet,
            _ => Network.RegTest,
        };
        for (var index = 0; index < 5; index++)
        {
            var expected = Root.Derive(new KeyPath($"m/84'/1'/0'/0/{index}")).GetPublicKey().GetAddress(ScriptPubKeyType.Segwit, nbitcoin).ToString();
            Assert.Equal(expected, _keys.DeriveReceiveAddress(Vpub, network, index));
        }
    }

    [Fact]
    public void One_instance_keeps_each_networks_receive_chain_apart_and_still_refuses_a_bad_key_it_was_given_before()
    {
        // The receive chain is kept per key and network after the first derivation: the next ones must not mix them up.
        Assert.Equal(FirstTestReceive, _keys.DeriveReceiveAddress(Tpub, BitcoinNetwork.Testnet, 0));
        Assert.Equal("bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk", _keys.DeriveReceiveAddress(Tpub, BitcoinNetwork.Regtest, 0));
        Assert.Equal(FirstTestReceive, _keys.DeriveReceiveAddress(Tpub, BitcoinNetwork.Signet, 0));
        Assert.Equal(FirstTestReceive, _keys.DeriveReceiveAddress(Vpub, BitcoinNetwork.Testnet, 0));
        Assert.Equal(SecondReceive, _keys.DeriveReceiveAddress(Xpub, BitcoinNetwork.Mainnet, 1));
        Assert.Equal(FirstReceive, _keys.DeriveReceiveAddress(Xpub, BitcoinNetwork.Mainnet, 0));
        for (var round = 0; round < 2; round++)
        {
            var refused = Assert.Throws<DomainException>(() => _keys.DeriveReceiveAddress(Tpub, BitcoinNetwork.Mainnet, 0));
            Assert.Equal(WalletKeyErrors.NetworkMismatch, refused.Code);
        }
    }

    [Theory]
    [InlineData(Zpub, BitcoinNetwork.Testnet)]
    [InlineData(Zpub, BitcoinNetwork.Signet)]
    [InlineData(Zpub, BitcoinNetwork.Regtest)]
    [InlineData("xpub", BitcoinNetwork.Regtest)]
    [InlineData(Vpub, BitcoinNetwork.Mainnet)]
    [InlineData("tpub", BitcoinNetwork.Mainnet)]
    public void A_key_of_another_network_is_refused(string text, BitcoinNetwork network)
    {
        var key = text switch { "xpub" => Xpub, "tpub" => Tpub, _ => text };

        var e = Refused(() => _keys.ParseAccountKey(key, network), WalletKeyErrors.NetworkMismatch, key);
        Assert.Contains(network == BitcoinNetwork.Mainnet ? "mainnet" : network.ToString().ToLowerInvariant(), e.Message, StringComparison.Ordinal);
        Refused(() => _keys.DeriveReceiveAddress(key, network, 0), WalletKeyErrors.NetworkMismatch, key);
    }

    public static TheoryData<string, BitcoinNetwork> PrivateKeys() => new()
    {
        { MainAccount.ToString(Network.Main), BitcoinNetwork.Mainnet },
        { MainAccount.ToString(Network.Main), BitcoinNetwork.Testnet },
        { WithVersion(MainAccount.ToString(Network.Main), ZprvVersion), BitcoinNetwork.Mainnet },
        { TestAccount.ToString(Network.TestNet), BitcoinNetwork.Testnet },
        { TestAccount.ToString(Network.TestNet), BitcoinNetwork.Mainnet },
        { WithVersion(TestAccount.ToString(Network.TestNet), VprvVersion), BitcoinNetwork.Signet },
        { Root.ToString(Network.Main), BitcoinNetwork.Mainnet },
        // Private key data behind public version bytes: still a private key.
        { WithVersion(MainAccount.ToString(Network.Main), XpubVersion), BitcoinNetwork.Mainnet },
        { WithVersion(TestAccount.ToString(Network.TestNet), TpubVersion), BitcoinNetwork.Regtest },
        // WIF, compressed and not.
        { MainAccount.PrivateKey.GetWif(Network.Main).ToString(), BitcoinNetwork.Mainnet },
        { new BitcoinSecret(new Key(MainAccount.PrivateKey.ToBytes(), fCompressedIn: false), Network.Main).ToString(), BitcoinNetwork.Mainnet },
        { TestAccount.PrivateKey.GetWif(Network.TestNet).ToString(), BitcoinNetwork.Testnet },
    };

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void A_private_key_is_refused_and_never_repeated(string privateKey, BitcoinNetwork network)
    {
        Refused(() => _keys.ParseAccountKey(privateKey, network), WalletKeyErrors.PrivateKeyRefused, privateKey);
        Refused(() => _keys.ParseAccountKey($" {privateKey} ", network), WalletKeyErrors.PrivateKeyRefused, privateKey);
        Refused(() => _keys.DeriveReceiveAddress(privateKey, network, 0), WalletKeyErrors.PrivateKeyRefused, privateKey);
    }

    public static TheoryData<string> Garbage() => new()
    {
        "",
        "   ",
        "hello",
        "xpub",
        "xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6W",
        Zpub[..^1] + (Zpub[^1] == 's' ? 't' : 's'),
        Zpub[..60],
        Zpub + "1",
        FirstReceive,
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        $"wpkh([73c5da0a/84'/0'/0']{Xpub}/0/*)",
        // Valid Base58Check of the right length, unknown version bytes.
        WithVersion(Xpub, 0x01020304),
        // ypub (BIP49, nested segwit) and Zpub (multisig): other address types.
        WithVersion(Xpub, 0x049d7cb2),
        WithVersion(Xpub, 0x02aa7ed3),
        // A public key that is not a point of the curve.
        Spoiled(Xpub),
        Convert.ToBase64String(Encoders.Base58Check.DecodeData(Xpub)),
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Anything_else_is_an_invalid_key(string text)
    {
        Refused(() => _keys.ParseAccountKey(text, BitcoinNetwork.Mainnet), WalletKeyErrors.InvalidKey, text);
        Refused(() => _keys.DeriveReceiveAddress(text, BitcoinNetwork.Mainnet, 0), WalletKeyErrors.InvalidKey, text);
    }

    [Fact]
    public void A_negative_index_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _keys.DeriveReceiveAddress(Zpub, BitcoinNetwork.Mainnet, -1));
    }

    /// <summary><paramref name="key"/> with other version bytes (SLIP-132), as a wallet that exports a zpub writes it.</summary>
    internal static string WithVersion(string key, uint version)
    {
        var data = Encoders.Base58Check.DecodeData(key);
        data[0] = (byte)(version >> 24);
        data[1] = (byte)(version >> 16);
        data[2] = (byte)(version >> 8);
        data[3] = (byte)version;
        return Encoders.Base58Check.EncodeData(data);
    }

    /// <summary>The key with a public key prefix that no point has (0x05).</summary>
    private static string Spoiled(string key)
    {
        var data = Encoders.Base58Check.DecodeData(key);
        data[45] = 0x05;
        return Encoders.Base58Check.EncodeData(data);
    }

    private static DomainException Refused(Action act, string code, string text)
    {
        var e = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Equal(code, e.Code);
        Assert.Null(e.InnerException);
        var trimmed = text.Trim();
        if (trimmed.Length >= 8)
        {
            // Neither the text nor a telling part of it: not in the message, not anywhere in the exception's text.
            foreach (var part in new[] { trimmed, trimmed[4..], trimmed[^8..] })
            {
                Assert.DoesNotContain(part, e.ToString(), StringComparison.Ordinal);
            }
        }

        return e;
    }
}
