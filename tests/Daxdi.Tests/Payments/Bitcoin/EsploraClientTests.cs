using System.Diagnostics;
using System.Text.Json.Nodes;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>
/// The Esplora client as <see cref="BitcoinSetup.AddBitcoin"/> registers it, over real HTTP against <see cref="FakeEsplora"/>:
/// what a payment looks like, paging, garbage, failures and recovery, timeouts.
/// </summary>
public sealed class EsploraClientTests : IAsyncLifetime
{
    private const string Address = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu";
    private const string OtherAddress = "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g";

    private FakeEsplora _esplora = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IChainSource Chain => _services.GetRequiredService<IChainSource>();

    public async ValueTask InitializeAsync()
    {
        _esplora = await FakeEsplora.StartAsync();
        _services = BitcoinHost.Build(BitcoinHost.FastEsplora(_esplora.BaseUrl));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _esplora.DisposeAsync();
    }

    [Fact]
    public async Task The_tip_height_is_the_plain_integer_the_server_answers()
    {
        _esplora.TipHeight = 812_345;

        Assert.Equal(812_345, await Chain.GetTipHeightAsync(Ct));
        Assert.Equal(["blocks/tip/height"], _esplora.Requests);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1e6")]
    [InlineData("+5")]
    [InlineData("4294967296")]
    [InlineData("{\"height\":812345}")]
    public async Task A_tip_height_that_is_not_a_height_is_a_ChainSourceException(string body)
    {
        _esplora.Fail(EsploraFault.Garbage(body));

        await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetTipHeightAsync(Ct));
    }

    [Fact]
    public async Task A_tip_height_with_a_trailing_newline_is_read()
    {
        _esplora.Fail(EsploraFault.Garbage("812345\n"));

        Assert.Equal(812_345, await Chain.GetTipHeightAsync(Ct));
    }

    [Fact]
    public async Task An_exact_payment_is_one_output_with_its_block_height()
    {
        var tx = _esplora.Pay(Address, 12_345, height: 800_000);

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal([new AddressOutput(tx.TxId, 1, 12_345, 800_000)], outputs);
        Assert.Equal([$"address/{Address}/txs"], _esplora.Requests);
    }

    [Fact]
    public async Task An_address_nobody_paid_has_no_outputs()
    {
        _esplora.Pay(OtherAddress, 12_345, height: 800_000);

        Assert.Empty(await Chain.GetAddressOutputsAsync(Address, Ct));
    }

    [Fact]
    public async Task Two_partial_payments_are_two_outputs_in_block_order()
    {
        var second = _esplora.Pay(Address, 7_000, height: 800_010);
        var first = _esplora.Pay(Address, 5_345, height: 800_002);

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal([new AddressOutput(first.TxId, 1, 5_345, 800_002), new AddressOutput(second.TxId, 1, 7_000, 800_010)], outputs);
        Assert.Equal(12_345, outputs.Sum(o => o.ValueSats));
    }

    [Fact]
    public async Task A_mempool_payment_has_no_height_until_it_is_mined()
    {
        var confirmed = _esplora.Pay(Address, 5_000, height: 800_000);
        var pending = _esplora.Pay(Address, 7_345);

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal([new AddressOutput(confirmed.TxId, 1, 5_000, 800_000), new AddressOutput(pending.TxId, 1, 7_345, null)], outputs);

        _esplora.Confirm(pending, 800_001);
        Assert.Equal(800_001, (await Chain.GetAddressOutputsAsync(Address, Ct))[1].BlockHeight);
    }

    [Fact]
    public async Task Only_outputs_to_the_address_count_and_every_one_of_them_does()
    {
        // Two outputs to the address in one transaction, one to someone else and an OP_RETURN.
        var tx = _esplora.Add(800_000, [new FakeOutput(Address, 1_000), new FakeOutput(OtherAddress, 99_000), new FakeOutput(null, 0), new FakeOutput(Address, 2_000)]);
        // A transaction spending from the address pays it nothing.
        _esplora.Spend(Address, height: 800_005);

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal([new AddressOutput(tx.TxId, 0, 1_000, 800_000), new AddressOutput(tx.TxId, 3, 2_000, 800_000)], outputs);
    }

    [Theory]
    [InlineData(24, 1)]
    [InlineData(25, 2)]
    [InlineData(60, 3)]
    public async Task The_confirmed_history_is_read_page_after_page(int confirmed, int pages)
    {
        var paid = Enumerable.Range(0, confirmed).Select(i => _esplora.Pay(Address, 1_000 + i, height: 700_000 + i)).ToList();
        var pending = new[] { _esplora.Pay(Address, 1), _esplora.Pay(Address, 2) };

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal(confirmed + 2, outputs.Count);
        Assert.Equal(paid.Select(t => t.TxId).Concat(pending.Select(t => t.TxId).Order(StringComparer.Ordinal)), outputs.Select(o => o.TxId));
        Assert.Equal(paid.Select((t, i) => (int?)(700_000 + i)).Concat([null, null]), outputs.Select(o => o.BlockHeight));
        // Newest first: each next page starts after the oldest transaction of the page before.
        var newestFirst = paid.AsEnumerable().Reverse().ToList();
        var expected = new List<string> { $"address/{Address}/txs" };
        expected.AddRange(Enumerable.Range(1, pages - 1).Select(p => $"address/{Address}/txs/chain/{newestFirst[(p * FakeEsplora.ConfirmedPageSize) - 1].TxId}"));
        Assert.Equal(expected, _esplora.Requests);
    }

    [Fact]
    public async Task A_history_longer_than_the_page_limit_is_a_ChainSourceException()
    {
        await using var services = BitcoinHost.Build([.. BitcoinHost.FastEsplora(_esplora.BaseUrl), ("Bitcoin:Esplora:MaxConfirmedPages", "2")]);
        for (var i = 0; i < 60; i++)
        {
            _esplora.Pay(Address, 1_000, height: 700_000 + i);
        }

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => services.GetRequiredService<IChainSource>().GetAddressOutputsAsync(Address, Ct));
        Assert.Contains("more than 50 confirmed transactions", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _esplora.Requests.Count);
    }

    [Fact]
    public async Task A_server_that_ignores_last_seen_txid_is_a_ChainSourceException_not_a_loop()
    {
        _esplora.IgnoreLastSeen = true;
        for (var i = 0; i < 30; i++)
        {
            _esplora.Pay(Address, 1_000, height: 700_000 + i);
        }

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _esplora.Requests.Count);
    }

    public static TheoryData<string> Spoilings() =>
    [
        "not json", "object", "number item", "txid short", "txid not hex", "txid missing", "txid number", "status missing",
        "confirmed string", "confirmed missing", "height missing", "height string", "height negative", "height fraction",
        "height huge", "vout missing", "vout object", "vout item number", "address number", "value missing", "value string",
        "value negative", "value fraction", "value over 21M BTC", "listed twice",
    ];

    [Theory]
    [MemberData(nameof(Spoilings))]
    public async Task An_answer_that_is_not_what_Esplora_documents_is_a_ChainSourceException(string spoiling)
    {
        var tx = new FakeTransaction(FakeEsplora.NewTxId(), [new FakeOutput(OtherAddress, 500), new FakeOutput(Address, 12_345)], []) { Height = 800_000 };
        var node = JsonNode.Parse(FakeEsplora.Json(tx))!.AsObject();
        var status = node["status"]!.AsObject();
        var payment = node["vout"]![1]!.AsObject();
        string? body = null;
        switch (spoiling)
        {
            case "not json": body = "<html>Bad gateway</html>"; break;
            case "object": body = "{\"txs\":[]}"; break;
            case "number item": body = "[1]"; break;
            case "txid short": node["txid"] = tx.TxId[..63]; break;
            case "txid not hex": node["txid"] = new string('g', 64); break;
            case "txid missing": node.Remove("txid"); break;
            case "txid number": node["txid"] = 12; break;
            case "status missing": node.Remove("status"); break;
            case "confirmed string": status["confirmed"] = "true"; break;
            case "confirmed missing": status.Remove("confirmed"); break;
            case "height missing": status.Remove("block_height"); break;
            case "height string": status["block_height"] = "800000"; break;
            case "height negative": status["block_height"] = -1; break;
            case "height fraction": status["block_height"] = 800_000.5; break;
            case "height huge": status["block_height"] = 1_000_000_000_000; break;
            case "vout missing": node.Remove("vout"); break;
            case "vout object": node["vout"] = new JsonObject(); break;
            case "vout item number": node["vout"]!.AsArray().Add(7); break;
            case "address number": node["vout"]![0]!["scriptpubkey_address"] = 5; break;
            case "value missing": payment.Remove("value"); break;
            case "value string": payment["value"] = "12345"; break;
            case "value negative": payment["value"] = -12_345; break;
            case "value fraction": payment["value"] = 12_345.5; break;
            case "value over 21M BTC": payment["value"] = PaymentUris.MaxSats + 1; break;
            case "listed twice": body = $"[{node.ToJsonString()},{node.ToJsonString()}]"; break;
            default: throw new ArgumentOutOfRangeException(nameof(spoiling));
        }

        _esplora.Fail(EsploraFault.Garbage(body ?? $"[{node.ToJsonString()}]"));

        await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));
        // The template itself is read: the spoiling is what fails.
        _esplora.Fail(EsploraFault.Garbage($"[{FakeEsplora.Json(tx)}]"));
        Assert.Equal([new AddressOutput(tx.TxId, 1, 12_345, 800_000)], await Chain.GetAddressOutputsAsync(Address, Ct));
    }

    [Fact]
    public async Task An_unconfirmed_transaction_in_the_confirmed_history_is_a_ChainSourceException()
    {
        for (var i = 0; i < 25; i++)
        {
            _esplora.Pay(Address, 1_000, height: 700_000 + i);
        }

        var pending = new FakeTransaction(FakeEsplora.NewTxId(), [new FakeOutput(Address, 5)], []);
        _esplora.Fail(EsploraFault.Garbage($"[{FakeEsplora.Json(pending)}]") with { PathContains = "/txs/chain/" });

        await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));
        Assert.Equal(2, _esplora.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_is_retried_until_the_server_recovers()
    {
        var tx = _esplora.Pay(Address, 12_345, height: 800_000);
        _esplora.Fail(EsploraFault.ServerError, new EsploraFault(503));

        var outputs = await Chain.GetAddressOutputsAsync(Address, Ct);

        Assert.Equal([new AddressOutput(tx.TxId, 1, 12_345, 800_000)], outputs);
        Assert.Equal(Enumerable.Repeat($"address/{Address}/txs", 3), _esplora.Requests);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_is_a_ChainSourceException_after_the_retries()
    {
        _esplora.PersistentFault = EsploraFault.ServerError;

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetTipHeightAsync(Ct));

        Assert.Equal("Esplora answered 500 to GET blocks/tip/height.", e.Message);
        Assert.Equal(3, _esplora.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    public async Task A_client_error_is_not_retried(int status)
    {
        _esplora.PersistentFault = new EsploraFault(status, "Invalid Bitcoin address");

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));

        Assert.Contains($"answered {status}", e.Message, StringComparison.Ordinal);
        Assert.Single(_esplora.Requests);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_a_ChainSourceException_within_the_timeout()
    {
        _esplora.PersistentFault = EsploraFault.Hang();
        var started = Stopwatch.GetTimestamp();

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));

        Assert.Contains("in time", e.Message, StringComparison.Ordinal);
        // Three attempts of 0.5 s, all within the 2 s total.
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalSeconds, 1.4, 4);
        Assert.Equal(3, _esplora.Requests.Count);
    }

    [Fact]
    public async Task A_hang_after_the_headers_is_a_ChainSourceException_within_the_timeout()
    {
        _esplora.Fail(new EsploraFault(Delay: TimeSpan.FromSeconds(30), HangAfterHeaders: true));
        var started = Stopwatch.GetTimestamp();

        var e = await Assert.ThrowsAsync<ChainSourceException>(() => Chain.GetAddressOutputsAsync(Address, Ct));

        Assert.Contains("in time", e.Message, StringComparison.Ordinal);
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalSeconds, 1.9, 4);
    }

    [Fact]
    public async Task A_slow_answer_within_the_attempt_timeout_is_read()
    {
        var tx = _esplora.Pay(Address, 12_345, height: 800_000);
        _esplora.Fail(EsploraFault.Slow(0.3));

        Assert.Equal([new AddressOutput(tx.TxId, 1, 12_345, 800_000)], await Chain.GetAddressOutputsAsync(Address, Ct));
        Assert.Single(_esplora.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_chain_failure()
    {
        _esplora.PersistentFault = EsploraFault.Hang();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Chain.GetAddressOutputsAsync(Address, cancel.Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bc1q/../../blocks")]
    [InlineData("bc1q?x=1")]
    public async Task An_address_that_is_not_letters_and_digits_is_refused_before_any_request(string address)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Chain.GetAddressOutputsAsync(address, Ct));
        Assert.Empty(_esplora.Requests);
    }
}
