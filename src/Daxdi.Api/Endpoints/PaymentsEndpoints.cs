using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Application.Features.Payments;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Payments;
using Daxdi.Domain.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Daxdi.Api.Endpoints;

/// <summary>Bitcoin payment intents: the wallet and offers finance sets, the intents frontends create and poll, finance's tools.</summary>
public static class PaymentsEndpoints
{
    /// <summary>The header a frontend sends its intent's client secret in.</summary>
    public const string ClientSecretHeader = "X-Client-Secret";

    private const long IntentRequestLimit = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder admin)
    {
        var site = app.MapGroup("/api/v1/sites/{site}").WithTags("Payments").AllowAnonymous()
            .RequireCors(SiteCorsPolicyProvider.PolicyName);
        site.MapPost("/payment-intents", Create).WithName("createPaymentIntent").ProducesNoStore(StatusCodes.Status201Created)
            .RequireRateLimiting(RateLimiting.PaymentIntentsPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(IntentRequestLimit))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        site.MapGet("/payment-intents/{id:guid}", Get).WithName("getPaymentIntent").ProducesPrivateCaching()
            .Produces<PaymentIntentDto>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/payment-intents/{id:guid}/qr.svg", QrCode).WithName("getPaymentIntentQrCode")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/offers", GetPublicOffers).WithName("getOffers")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var finance = admin.MapGroup("").WithTags("Payments").RequireRoles(ApiRole.Finance);
        finance.MapPut("/sites/{site}/wallet", ConfigureWallet).WithName("configureWallet").AcceptsIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        finance.MapGet("/sites/{site}/wallet", GetWallet).WithName("getWallet").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        finance.MapPut("/sites/{site}/offers", ReplaceOffers).WithName("replaceOffers").AcceptsIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        finance.MapGet("/sites/{site}/offers", GetOffers).WithName("getAdminOffers").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        finance.MapGet("/sites/{site}/payment-intents", List).WithName("listPaymentIntents")
            .ProducesProblem(StatusCodes.Status404NotFound);
        finance.MapGet("/payment-intents/{id:guid}", GetAdmin).WithName("getAdminPaymentIntent").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        finance.MapPost("/payment-intents/{id:guid}/cancel", Cancel).WithName("cancelPaymentIntent")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        finance.MapPost("/payment-intents/{id:guid}/mark-settled", MarkSettled).WithName("markPaymentIntentSettled")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        finance.MapPost("/payment-intents/{id:guid}/mark-failed", MarkFailed).WithName("markPaymentIntentFailed")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Create a payment intent: what to pay, to which fresh address, until when.</summary>
    /// <remarks>
    /// Public, for the site's frontend (CORS follows the site's origins; rate limited per client address,
    /// <c>RateLimits:PaymentIntents</c>). The server prices the purpose from the site's offers, locks an exchange rate,
    /// converts to satoshis (rounding up once, no floating point) and derives a new native segwit address from the
    /// site's extended public key. Requires an <c>Idempotency-Key</c> header (400 without it): a retry with the same key
    /// and body answers the first response again (with <c>Idempotent-Replayed: true</c>); the same key with another
    /// body is 422 <c>idempotency.key_reused</c>; while the first request runs, 409 <c>idempotency.request_in_progress</c>.
    /// Keys are kept at least 24 hours. The <c>clientSecret</c> is shown here only: send it as <c>X-Client-Secret</c>
    /// to read the intent and its QR code.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="body">What is being paid for.</param>
    /// <param name="idempotencyKey">A unique value per operation (a UUID), sent again unchanged on every retry.</param>
    /// <response code="201">The intent, with its client secret; <c>Location</c> is where to poll it.</response>
    public static async Task<Created<CreatedPaymentIntentDto>> Create(string site, CreatePaymentIntentBody body, HttpContext http,
        ISiteDirectory sites, ISender sender, IdempotentCommit idempotency, CancellationToken ct,
        [FromHeader(Name = IdempotencyRules.Header)] string? idempotencyKey = null)
    {
        var info = await sites.FindAsync(site, ct) ?? throw SiteQueries.NotFound(site);
        var intent = await sender.Send(new CreatePaymentIntent(info.Id, site, idempotencyKey, body), ct);
        if (idempotency.Replayed)
        {
            http.Response.Headers[IdempotencyRules.ReplayedHeader] = "true";
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/sites/{site}/payment-intents/{intent.Id}", intent);
    }

    /// <summary>Poll a payment intent: its status and the payments seen.</summary>
    /// <remarks>
    /// Needs the intent's <c>X-Client-Secret</c>; without it, or with a wrong one, the answer is 404 as for an intent that
    /// does not exist. Send the <c>ETag</c> back as <c>If-None-Match</c> to poll cheaply (304 while nothing changed).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The intent's id.</param>
    /// <param name="clientSecret">The <c>clientSecret</c> from the intent's creation.</param>
    /// <response code="200">The intent, with an <c>ETag</c>.</response>
    public static async Task<IResult> Get(string site, Guid id, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct,
        [FromHeader(Name = ClientSecretHeader)] string? clientSecret = null) =>
        responses.Private(http, await sender.Send(new GetPaymentIntent(site, id, clientSecret), ct), typeof(PaymentIntentDto));

    /// <summary>The intent's BIP21 URI as a QR code (SVG), for a wallet to scan.</summary>
    /// <remarks>Needs <c>X-Client-Secret</c> as for the intent (fetch it and show it as an object URL).</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The intent's id.</param>
    /// <param name="clientSecret">The <c>clientSecret</c> from the intent's creation.</param>
    /// <response code="200">The QR code.</response>
    public static async Task<IResult> QrCode(string site, Guid id, ISender sender, CancellationToken ct,
        [FromHeader(Name = ClientSecretHeader)] string? clientSecret = null)
    {
        var svg = await sender.Send(new GetPaymentIntentQrCode(site, id, clientSecret), ct);
        return Results.Text(svg, "image/svg+xml", System.Text.Encoding.UTF8);
    }

    /// <summary>What the site sells for bitcoin, for its frontend to show.</summary>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The offers.</response>
    public static async Task<Ok<OffersDto>> GetPublicOffers(string site, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetOffers(site), ct));

    /// <summary>Set the site's watch-only Bitcoin wallet (finance).</summary>
    /// <remarks>
    /// Created on the first call; later calls may send <c>If-Match</c>. The key is an account-level BIP84 extended public
    /// key for the stated network (xpub/zpub on mainnet, tpub/vpub elsewhere); a key for another network is 400
    /// <c>wallet.network_mismatch</c>, a private key 400 <c>wallet.private_key_refused</c> (never stored, echoed or
    /// logged), anything else 400 <c>wallet.invalid_key</c>; a key another site's wallet uses is 409
    /// <c>wallet.key_in_use</c> (each site needs an account of its own). A new key starts a new derivation sequence;
    /// addresses already given out keep being watched.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The wallet, with its <c>ETag</c>.</response>
    public static async Task<Ok<WalletDto>> ConfigureWallet(string site, WalletFields body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Application.Features.Payments.ConfigureWallet(site, ifMatch.Value, body), ct));

    /// <summary>Read the site's wallet settings and its address gap (finance).</summary>
    /// <remarks>Past 20 consecutive addresses without a payment, <c>gapWarning</c> explains what wallets will not see.</remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The wallet.</response>
    public static async Task<Ok<WalletDto>> GetWallet(string site, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Application.Features.Payments.GetWallet(site), ct));

    /// <summary>Replace what the site sells and at what fiat price (finance).</summary>
    /// <remarks>Membership plans, the article unlock price and donation bounds, in minor units of one ISO 4217 currency.</remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The offers, with their <c>ETag</c>.</response>
    public static async Task<Ok<OffersDto>> ReplaceOffers(string site, OffersFields body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Application.Features.Payments.ReplaceOffers(site, ifMatch.Value, body), ct));

    /// <summary>Read the site's offers (finance).</summary>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The offers.</response>
    public static async Task<Ok<OffersDto>> GetOffers(string site, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Application.Features.Payments.GetOffers(site), ct));

    /// <summary>List the site's payment intents, newest first (finance).</summary>
    /// <remarks>Keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>. No secret is listed.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="status">Only this status.</param>
    /// <param name="exception">Only this exception.</param>
    /// <param name="purpose">Only this purpose.</param>
    /// <param name="customerReference">Only this customer's intents.</param>
    /// <param name="from">Created at or after this time.</param>
    /// <param name="to">Created at or before this time.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of intents.</response>
    public static async Task<Ok<Page<PaymentIntentSummary>>> List(string site, ISender sender, CancellationToken ct,
        [EnumParameter(typeof(PaymentStatus))] string? status = null, [EnumParameter(typeof(PaymentExceptionStatus))] string? exception = null,
        [EnumParameter(typeof(PaymentPurpose))] string? purpose = null, string? customerReference = null, DateTime? from = null, DateTime? to = null,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListPaymentIntents(site, status, exception, purpose, customerReference, from, to,
            limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read an intent with its payments and status history (finance).</summary>
    /// <param name="id">The intent's id.</param>
    /// <response code="200">The intent.</response>
    public static async Task<Ok<AdminPaymentIntentDto>> GetAdmin(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetAdminPaymentIntent(id), ct));

    /// <summary>Cancel an intent nothing was paid to (finance).</summary>
    /// <remarks>409 <c>payment_intent.payment_received</c> once anything arrived, 409 <c>payment_intent.invalid_transition</c> when final.</remarks>
    /// <param name="id">The intent's id.</param>
    /// <response code="200">The canceled intent.</response>
    public static async Task<Ok<AdminPaymentIntentDto>> Cancel(Guid id, PaymentActionFields body, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ActOnPaymentIntent(id, PaymentAction.Cancel, body), ct));

    /// <summary>Mark an intent settled by hand, with a reason (finance, audited).</summary>
    /// <remarks>It succeeds with the exception <c>marked</c>, its entitlement is granted, and <c>paymentIntent.succeeded</c> is sent.</remarks>
    /// <param name="id">The intent's id.</param>
    /// <response code="200">The settled intent.</response>
    public static async Task<Ok<AdminPaymentIntentDto>> MarkSettled(Guid id, PaymentActionFields body, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ActOnPaymentIntent(id, PaymentAction.MarkSettled, body), ct));

    /// <summary>Mark an intent failed by hand, with a reason (finance, audited).</summary>
    /// <param name="id">The intent's id.</param>
    /// <response code="200">The failed intent.</response>
    public static async Task<Ok<AdminPaymentIntentDto>> MarkFailed(Guid id, PaymentActionFields body, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ActOnPaymentIntent(id, PaymentAction.MarkFailed, body), ct));
}
