using Daxdi.Domain.Payments;
using NBitcoin;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>NBitcoin's <see cref="Network"/> for each <see cref="BitcoinNetwork"/>.</summary>
internal static class BitcoinNetworks
{
    public static Network ToNBitcoin(this BitcoinNetwork network) => network switch
    {
        BitcoinNetwork.Mainnet => Network.Main,
        BitcoinNetwork.Testnet => Network.TestNet,
        // NBitcoin's default signet (Bitcoin.Signet.cs): tpub/tprv version bytes and the "tb" bech32 prefix, as testnet.
        BitcoinNetwork.Signet => NBitcoin.Bitcoin.Instance.Signet,
        BitcoinNetwork.Regtest => Network.RegTest,
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "Not a Bitcoin network."),
    };
}
