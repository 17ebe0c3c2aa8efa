using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Support;

/// <summary>
/// An Esplora server on Kestrel (127.0.0.1, a free port, routes under <c>/api</c> as public instances have them) that
/// answers from a chain the test writes: the tip height and transactions, confirmed at a height or in the mempool.
/// It serves the routes the way electrs does: <c>blocks/tip/height</c> as plain text; <c>address/{a}/txs</c> with up to
/// 50 mempool transactions then the newest 25 confirmed; <c>address/{a}/txs/chain[/{last_seen_txid}]</c> 25 confirmed
/// at a time; <c>address/{a}/txs/mempool</c>. Faults (a status, a body, a hang) can be queued for the next requests or
/// set for all of them.
/// </summary>
public sealed class FakeEsplora : IAsyncDisposable
{
    public const int ConfirmedPageSize = 25;
    public const int MempoolLimit = 50;

    /// <summary>The payer's change in <see cref="Pay"/>: an address no test asks about (BIP84's first change address).</summary>
    public const string PayerChange = "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeTransaction> _transactions = [];
    private readonly ConcurrentQueue<EsploraFault> _faults = new();
    private long _sequence;

    private FakeEsplora(WebApplication app) => _app = app;

    /// <summary>The height <c>blocks/tip/height</c> answers.</summary>
    public int TipHeight { get; set; } = 800_000;

    /// <summary>A broken server that answers the first page again whatever <c>last_seen_txid</c> says.</summary>
    public bool IgnoreLastSeen { get; set; }

    /// <summary>A fault for every request while set (after the queued ones).</summary>
    public EsploraFault? PersistentFault { get; set; }

    /// <summary>Every request's path and query below <c>/api/</c>, in order of arrival.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Port { get; private set; }

    /// <summary>What <c>Bitcoin:Esplora:BaseUrl</c> is set to.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/api";

    public static async Task<FakeEsplora> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var esplora = new FakeEsplora(app);
        app.Run(esplora.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        esplora.Port = new Uri(app.Urls.Single()).Port;
        return esplora;
    }

    /// <summary>A new random txid: 64 lowercase hex digits.</summary>
    public static string NewTxId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A payment of <paramref name="sats"/> to <paramref name="address"/> as a wallet sends one: output 0 is the
    /// payer's change, output 1 the payment. Confirmed at <paramref name="height"/>, or in the mempool.
    /// </summary>
    public FakeTransaction Pay(string address, long sats, int? height = null) =>
        Add(height, [new FakeOutput(PayerChange, 54_321), new FakeOutput(address, sats)]);

    /// <summary>A transaction with these outputs (a null address is an OP_RETURN output).</summary>
    public FakeTransaction Add(int? height, FakeOutput[] outputs, string[]? alsoListedFor = null)
    {
        var tx = new FakeTransaction(NewTxId(), outputs, alsoListedFor ?? []) { Height = height };
        lock (_gate)
        {
            tx.Sequence = ++_sequence;
            _transactions.Add(tx);
        }

        return tx;
    }

    /// <summary>A transaction that spends from <paramref name="address"/>: in its history, with no output to it.</summary>
    public FakeTransaction Spend(string address, int? height = null) =>
        Add(height, [new FakeOutput(PayerChange, 10_000)], alsoListedFor: [address]);

    /// <summary>Mines <paramref name="tx"/> at <paramref name="height"/> (or returns it to the mempool with null).</summary>
    public void Confirm(FakeTransaction tx, int? height)
    {
        lock (_gate)
        {
            tx.Height = height;
        }
    }

    /// <summary>
    /// Drops <paramref name="tx"/> from the mempool or its block: replaced by another spending the same coins (RBF), or
    /// reorganised out and not mined again.
    /// </summary>
    public void Remove(FakeTransaction tx)
    {
        lock (_gate)
        {
            _transactions.Remove(tx);
        }
    }

    /// <summary>Faults for the next requests, one each, in order (a fault with a <see cref="EsploraFault.PathContains"/> waits for such a request).</summary>
    public void Fail(params EsploraFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>The JSON of <paramref name="tx"/> exactly as the server sends it, for tests that spoil it.</summary>
    public static string Json(FakeTransaction tx)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, tx);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        path = path["/api/".Length..];
        Requests.Enqueue(path + context.Request.QueryString);
        var fault = _faults.TryPeek(out var next) && (next.PathContains is null || path.Contains(next.PathContains, StringComparison.Ordinal))
            && _faults.TryDequeue(out next) ? next : PersistentFault;
        if (fault is not null && await ApplyAsync(fault, context))
        {
            return;
        }

        var parts = path.Split('/');
        switch (parts)
        {
            case ["blocks", "tip", "height"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(TipHeight.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
                return;
            case ["address", var address, "txs"]:
                await WriteAsync(context, [.. Mempool(address), .. Confirmed(address, null)!]);
                return;
            case ["address", var address, "txs", "mempool"]:
                await WriteAsync(context, Mempool(address));
                return;
            case ["address", var address, "txs", "chain"]:
                await WriteAsync(context, Confirmed(address, null));
                return;
            case ["address", var address, "txs", "chain", var lastSeen]:
                var page = Confirmed(address, IgnoreLastSeen ? null : lastSeen);
                if (page is null)
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("Invalid last_seen_txid", context.RequestAborted);
                    return;
                }

                await WriteAsync(context, page);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private List<FakeTransaction> History(string address)
    {
        lock (_gate)
        {
            return [.. _transactions.Where(t => t.AlsoListedFor.Contains(address) || t.Outputs.Any(o => o.Address == address))];
        }
    }

    /// <summary>Newest first, at most <see cref="MempoolLimit"/>.</summary>
    private List<FakeTransaction> Mempool(string address) =>
        [.. History(address).Where(t => t.Height is null).OrderByDescending(t => t.Sequence).Take(MempoolLimit)];

    /// <summary>The page of confirmed transactions after <paramref name="lastSeen"/> (null: the first), newest first; null when it is unknown.</summary>
    private List<FakeTransaction>? Confirmed(string address, string? lastSeen)
    {
        var confirmed = History(address).Where(t => t.Height is not null).OrderByDescending(t => t.Height).ThenByDescending(t => t.Sequence).ToList();
        var start = 0;
        if (lastSeen is not null)
        {
            var at = confirmed.FindIndex(t => t.TxId == lastSeen);
            if (at < 0)
            {
                return null;
            }

            start = at + 1;
        }

        return [.. confirmed.Skip(start).Take(ConfirmedPageSize)];
    }

    private static async Task WriteAsync(HttpContext context, List<FakeTransaction>? transactions)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var tx in transactions ?? [])
            {
                Write(writer, tx);
            }

            writer.WriteEndArray();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(stream.ToArray(), context.RequestAborted);
    }

    /// <summary>A transaction in Esplora's format, with the fields a real server sends beside the ones the client reads.</summary>
    private static void Write(Utf8JsonWriter writer, FakeTransaction tx)
    {
        writer.WriteStartObject();
        writer.WriteString("txid", tx.TxId);
        writer.WriteNumber("version", 2);
        writer.WriteNumber("locktime", 0);
        writer.WriteStartArray("vin");
        writer.WriteStartObject();
        writer.WriteString("txid", new string('a', 64));
        writer.WriteNumber("vout", 0);
        writer.WriteNull("prevout");
        writer.WriteString("scriptsig", "");
        writer.WriteBoolean("is_coinbase", false);
        writer.WriteNumber("sequence", 4294967293);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray("vout");
        foreach (var output in tx.Outputs)
        {
            writer.WriteStartObject();
            if (output.Address is null)
            {
                writer.WriteString("scriptpubkey", "6a0b68656c6c6f20776f726c64");
                writer.WriteString("scriptpubkey_type", "op_return");
            }
            else
            {
                writer.WriteString("scriptpubkey", "0014" + new string('b', 40));
                writer.WriteString("scriptpubkey_type", "v0_p2wpkh");
                writer.WriteString("scriptpubkey_address", output.Address);
            }

            writer.WriteNumber("value", output.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("size", 222);
        writer.WriteNumber("weight", 561);
        writer.WriteNumber("fee", 141);
        writer.WriteStartObject("status");
        writer.WriteBoolean("confirmed", tx.Height is not null);
        if (tx.Height is { } height)
        {
            writer.WriteNumber("block_height", height);
            writer.WriteString("block_hash", new string('0', 8) + new string('c', 56));
            writer.WriteNumber("block_time", 1_700_000_000 + height);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Answers as <paramref name="fault"/> says; false when it only delayed the request, which is then served.</summary>
    private static async Task<bool> ApplyAsync(EsploraFault fault, HttpContext context)
    {
        try
        {
            if (fault.HangAfterHeaders)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("[{\"txid\":", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(fault.Delay, context.RequestAborted);
                return true;
            }

            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }

            if (fault.Status == 200 && fault.Body is null)
            {
                return false;
            }

            context.Response.StatusCode = fault.Status;
            await context.Response.WriteAsync(fault.Body ?? "", context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up.
        }

        return true;
    }
}

/// <summary>One output: who it pays (null for OP_RETURN) and how much.</summary>
public sealed record FakeOutput(string? Address, long Value);

/// <summary>A transaction of the fake chain; <see cref="Height"/> null while in the mempool.</summary>
public sealed class FakeTransaction(string txId, FakeOutput[] outputs, string[] alsoListedFor)
{
    public string TxId { get; } = txId;

    public IReadOnlyList<FakeOutput> Outputs { get; } = outputs;

    /// <summary>Addresses whose history lists it although it pays them nothing (it spends from them).</summary>
    public IReadOnlyList<string> AlsoListedFor { get; } = alsoListedFor;

    public int? Height { get; set; }

    internal long Sequence { get; set; }
}

/// <summary>
/// How the fake answers a request instead of serving it: a status and body, after a delay; or headers and a part of the
/// body, then nothing. A queued fault with <see cref="PathContains"/> is for the next request whose path contains it.
/// </summary>
public sealed record EsploraFault(int Status = 200, string? Body = null, TimeSpan Delay = default, bool HangAfterHeaders = false, string? PathContains = null)
{
    public static EsploraFault ServerError { get; } = new(500, "Internal Server Error");

    /// <summary>No answer for 30 s: longer than any test waits.</summary>
    public static EsploraFault Hang() => Slow(30);

    /// <summary>The real answer, after <paramref name="seconds"/>.</summary>
    public static EsploraFault Slow(double seconds) => new(Delay: TimeSpan.FromSeconds(seconds));

    /// <summary>A 200 with this body in place of the real one.</summary>
    public static EsploraFault Garbage(string body) => new(200, body);
}
