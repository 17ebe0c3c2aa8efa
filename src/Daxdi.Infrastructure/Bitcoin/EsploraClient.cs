using System.Globalization;
using System.Text;
using System.Text.Json;
using Daxdi.Application.Abstractions.Payments;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// <see cref="IChainSource"/> over the Esplora HTTP API (Blockstream's esplora/electrs, mempool.space and compatible
/// servers), a typed <see cref="HttpClient"/> with the resilience pipeline of <see cref="BitcoinSetup"/>.
/// </summary>
/// <remarks>
/// An address's outputs come from <c>GET address/{address}/txs</c>, which answers in one response with up to 50
/// mempool transactions and the newest 25 confirmed ones: one snapshot, so a transaction confirmed between two
/// requests is neither missed nor counted twice, which separate <c>txs/mempool</c> and <c>txs/chain</c> requests
/// could do. While a page holds 25 confirmed transactions, the next one is <c>GET address/{address}/txs/chain/{last
/// confirmed txid}</c>. Fields are read with <see cref="JsonDocument"/> and checked one by one: a missing field, a
/// wrong type or a value out of range fails the whole call with <see cref="ChainSourceException"/>.
/// </remarks>
public sealed class EsploraClient(HttpClient http, IOptions<EsploraOptions> options) : IChainSource
{
    /// <summary>Confirmed transactions per page of <c>txs</c> and <c>txs/chain</c> (electrs' <c>CHAIN_TXS_PER_PAGE</c>).</summary>
    public const int ConfirmedPageSize = 25;

    /// <summary>The most a response may hold; a page of 75 transactions is far less.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private const long MaxSats = 21_000_000L * 100_000_000L;

    // Far above any height the chain will reach, far below int.MaxValue: a larger number is not a height.
    private const int MaxHeight = 100_000_000;

    // Bech32 addresses are case-insensitive (BIP173) and servers answer in lower case; Base58 ones are not.
    private static readonly string[] Bech32Prefixes = ["bc1", "tb1", "bcrt1"];

    private readonly int _maxPages = options.Value.MaxConfirmedPages;

    public async Task<int> GetTipHeightAsync(CancellationToken cancellationToken)
    {
        const string route = "blocks/tip/height";
        var text = Encoding.UTF8.GetString(await GetAsync(route, route, cancellationToken)).Trim();
        if (text.Length is 0 or > 9 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var height) || height > MaxHeight)
        {
            throw new ChainSourceException($"Esplora's answer to GET {route} is not a block height.");
        }

        return height;
    }

    public async Task<IReadOnlyList<AddressOutput>> GetAddressOutputsAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (address.Length > 100 || !address.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("An address has only letters and digits.", nameof(address));
        }

        var history = new History(Normalize(address));
        var page = await ReadPageAsync($"address/{address}/txs", "address/{address}/txs", history, mempool: true, cancellationToken);
        for (var pages = 1; page.Confirmed >= ConfirmedPageSize; pages++)
        {
            if (pages == _maxPages)
            {
                throw new ChainSourceException(
                    $"The address has more than {pages * ConfirmedPageSize} confirmed transactions (Bitcoin:Esplora:MaxConfirmedPages is {_maxPages}); its history was not read to the end.");
            }

            page = await ReadPageAsync($"address/{address}/txs/chain/{page.LastConfirmed}", "address/{address}/txs/chain/{last_seen_txid}",
                history, mempool: false, cancellationToken);
        }

        return [.. history.Outputs.OrderBy(o => o.BlockHeight ?? int.MaxValue).ThenBy(o => o.TxId, StringComparer.Ordinal).ThenBy(o => o.Vout)];
    }

    private async Task<Page> ReadPageAsync(string path, string route, History history, bool mempool, CancellationToken cancellationToken)
    {
        var body = await GetAsync(path, route, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Garbage(route, "is not a JSON array of transactions");
            }

            var confirmed = 0;
            string? lastConfirmed = null;
            foreach (var tx in document.RootElement.EnumerateArray())
            {
                var (txid, height) = ReadTransaction(tx, route, history, mempool);
                if (height is not null)
                {
                    confirmed++;
                    lastConfirmed = txid;
                }
            }

            return new Page(confirmed, lastConfirmed);
        }
        catch (JsonException e)
        {
            throw new ChainSourceException($"Esplora's answer to GET {route} is not JSON.", e);
        }
    }

    private static (string TxId, int? Height) ReadTransaction(JsonElement tx, string route, History history, bool mempool)
    {
        if (tx.ValueKind != JsonValueKind.Object)
        {
            throw Garbage(route, "lists something else than a transaction object");
        }

        var txid = Property(tx, "txid", JsonValueKind.String, route).GetString()!;
        if (txid.Length != 64 || !txid.All(char.IsAsciiHexDigit))
        {
            throw Garbage(route, "has a txid that is not 64 hex digits");
        }

        txid = txid.ToLowerInvariant();
        if (!history.Seen.Add(txid))
        {
            throw Garbage(route, $"lists transaction {txid} twice (or the server ignored the page's last_seen_txid)");
        }

        var status = Property(tx, "status", JsonValueKind.Object, route);
        var confirmed = Property(status, "confirmed", JsonValueKind.True, route).GetBoolean();
        int? height = null;
        if (confirmed)
        {
            if (!Property(status, "block_height", JsonValueKind.Number, route).TryGetInt32(out var h) || h is < 0 or > MaxHeight)
            {
                throw Garbage(route, $"gives transaction {txid} a block_height that is not a height");
            }

            height = h;
        }
        else if (!mempool)
        {
            throw Garbage(route, $"lists the unconfirmed transaction {txid} in the confirmed history");
        }

        var index = 0;
        foreach (var output in Property(tx, "vout", JsonValueKind.Array, route).EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                throw Garbage(route, $"has an output of {txid} that is not an object");
            }

            // Outputs without an address (OP_RETURN, bare scripts) have no scriptpubkey_address, or null.
            if (output.TryGetProperty("scriptpubkey_address", out var paid) && paid.ValueKind != JsonValueKind.Null)
            {
                if (paid.ValueKind != JsonValueKind.String)
                {
                    throw Garbage(route, $"has an output of {txid} whose scriptpubkey_address is not a string");
                }

                if (Normalize(paid.GetString()!) == history.Address)
                {
                    if (!Property(output, "value", JsonValueKind.Number, route).TryGetInt64(out var value) || value is < 0 or > MaxSats)
                    {
                        throw Garbage(route, $"gives output {txid}:{index} a value that is not an amount of satoshis");
                    }

                    history.Outputs.Add(new AddressOutput(txid, index, value, height));
                }
            }

            index++;
        }

        return (txid, height);
    }

    /// <summary>A property of the documented kind (<see cref="JsonValueKind.True"/> stands for either boolean).</summary>
    private static JsonElement Property(JsonElement parent, string name, JsonValueKind kind, string route)
    {
        if (!parent.TryGetProperty(name, out var value)
            || (kind == JsonValueKind.True ? value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) : value.ValueKind != kind))
        {
            throw Garbage(route, $"has no {name} of the documented type");
        }

        return value;
    }

    private static string Normalize(string address) =>
        Bech32Prefixes.Any(p => address.StartsWith(p, StringComparison.OrdinalIgnoreCase)) ? address.ToLowerInvariant() : address;

    private static ChainSourceException Garbage(string route, string what) => new($"Esplora's answer to GET {route} {what}.");

    private async Task<byte[]> GetAsync(string path, string route, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered (within MaxResponseContentBufferSize) and bounded in time by HttpClient.Timeout as a whole.
            using var response = await http.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ChainSourceException($"Esplora answered {(int)response.StatusCode} to GET {route}.");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ChainSourceException($"Esplora failed for GET {route}: {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ChainSourceException($"Esplora did not answer GET {route} in time.", e);
        }
        catch (BrokenCircuitException e)
        {
            throw new ChainSourceException($"Esplora failed too often lately; GET {route} was not sent.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChainSourceException($"Esplora did not answer GET {route} in time.", e);
        }
    }

    private sealed record Page(int Confirmed, string? LastConfirmed);

    private sealed class History(string address)
    {
        public string Address { get; } = address;

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public List<AddressOutput> Outputs { get; } = [];
    }
}
