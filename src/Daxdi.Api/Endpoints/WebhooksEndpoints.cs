using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Webhooks;
using Daxdi.Domain.Security;
using Daxdi.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Daxdi.Api.Endpoints;

/// <summary>Admin: a site's webhook subscriptions and their delivery log (editors and admins).</summary>
public static class WebhooksEndpoints
{
    /// <summary>The <c>Location</c> of a 202: the delivery that will carry the event.</summary>
    private static readonly ResponseHeader DeliveryLocation = ResponseHeaders.Location with
    {
        Id = "DeliveryLocation", Description = "URL of the delivery; read it to follow its attempts.",
        Example = "/api/v1/admin/sites/daxdi/webhooks/01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f/deliveries/01936b2e-8d2f-7a10-b3c4-5d6e7f8091a2",
    };

    public static void Map(RouteGroupBuilder admin)
    {
        var webhooks = admin.MapGroup("/sites/{site}/webhooks").WithTags("Webhooks").RequireRoles(ApiRole.Editor);
        webhooks.MapPost("", Create).WithName("createWebhook").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapGet("", List).WithName("listWebhooks")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}", Get).WithName("getWebhook").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPut("/{id:guid}", Replace).WithName("replaceWebhook").AcceptsIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:guid}", Delete).WithName("deleteWebhook").AcceptsIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/rotate-secret", RotateSecret).WithName("rotateWebhookSecret").AcceptsIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/ping", Ping).WithName("pingWebhook").ProducesDelivery();
        webhooks.MapGet("/{id:guid}/deliveries", ListDeliveries).WithName("listWebhookDeliveries")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}/deliveries/{deliveryId:guid}", GetDelivery).WithName("getWebhookDelivery")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", Redeliver).WithName("redeliverWebhookDelivery")
            .ProducesDelivery();
    }

    /// <summary>Subscribe a URL to the site's events.</summary>
    /// <remarks>
    /// The server generates the signing secret (<c>whsec_…</c>) and shows it in this answer only. The URL must be https
    /// (http in Development only), without user name or password, and resolve to public addresses only (400
    /// <c>webhook.url_invalid</c>, <c>webhook.url_not_https</c>, <c>webhook.url_unresolvable</c>,
    /// <c>webhook.url_private_address</c>); <c>Webhooks:AllowedPrivateNetworks</c> admits private ranges. An event type
    /// outside the catalogue answers 400 <c>webhook.unknown_event_type</c>. A site has at most 20 subscriptions (409
    /// <c>webhook.limit_reached</c>).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="201">The subscription with its secret; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static async Task<Created<WebhookWithSecretDto>> Create(string site, WebhookFields body, ISender sender, CancellationToken ct)
    {
        var webhook = await sender.Send(new CreateWebhook(site, body), ct);
        return TypedResults.Created($"/api/v1/admin/sites/{site}/webhooks/{webhook.Id}", webhook);
    }

    /// <summary>List the site's webhook subscriptions, newest first (never their secrets).</summary>
    /// <remarks>Keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of subscriptions.</response>
    public static async Task<Ok<Page<WebhookDto>>> List(string site, ISender sender, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListWebhooks(site, limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read a webhook subscription (never its secret).</summary>
    /// <remarks>The <c>ETag</c> header carries the version to send as <c>If-Match</c> when changing it.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <response code="200">The subscription, with its version as <c>ETag</c>.</response>
    public static async Task<Ok<WebhookDto>> Get(string site, Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetWebhook(site, id), ct));

    /// <summary>Replace a webhook subscription's URL, event types, description and state.</summary>
    /// <remarks>
    /// A full replacement: send every field (<c>enabled</c> defaults to <c>true</c>). The URL is checked as on create
    /// when it changes or the subscription is enabled again; enabling clears <c>disabledReason</c> and the failure count.
    /// Optional <c>If-Match</c> (412 if stale).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <response code="200">The subscription, with its new <c>ETag</c>.</response>
    public static async Task<Ok<WebhookDto>> Replace(string site, Guid id, WebhookFields body, ExpectedVersion ifMatch, ISender sender,
        CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ReplaceWebhook(site, id, ifMatch.Value, body), ct));

    /// <summary>Delete a webhook subscription.</summary>
    /// <remarks>Nothing more is sent to it; its delivery log goes with it. Optional <c>If-Match</c> (412 if stale).</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <response code="204">Deleted.</response>
    public static async Task<NoContent> Delete(string site, Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new DeleteWebhook(site, id, ifMatch.Value), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Give a webhook subscription a new signing secret.</summary>
    /// <remarks>
    /// The new secret is in this answer only. The current one keeps signing beside it (each delivery carries both
    /// signatures) for <c>overlapHours</c>, by default <c>Webhooks:SecretOverlapHours</c> (24); <c>previousSecretExpiresAt</c>
    /// says until when. Optional <c>If-Match</c> (412 if stale).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="body">Optional: <c>{ "overlapHours": 0–720 }</c>.</param>
    /// <response code="200">The subscription with its new secret, and its new <c>ETag</c>.</response>
    public static async Task<Ok<WebhookWithSecretDto>> RotateSecret(string site, Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct,
        [FromBody] RotateWebhookSecretBody? body = null) =>
        TypedResults.Ok(await sender.Send(new RotateWebhookSecret(site, id, ifMatch.Value, body?.OverlapHours), ct));

    /// <summary>Send a test event to a webhook subscription.</summary>
    /// <remarks>
    /// Queues a <c>webhook.ping</c> event for this subscription only, signed and retried like any other. Follow it in
    /// the delivery log. A disabled subscription answers 409 <c>webhook.disabled</c>.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <response code="202">The delivery, pending; <c>Location</c> names it.</response>
    public static async Task<Accepted<WebhookDeliveryDto>> Ping(string site, Guid id, ISender sender, CancellationToken ct) =>
        Accepted(site, id, await sender.Send(new PingWebhook(site, id), ct));

    /// <summary>List a webhook subscription's deliveries, newest first.</summary>
    /// <remarks>Each event sent to the subscription, with its status and last attempt. Keyset pagination with <c>cursor</c>/<c>nextCursor</c>.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="status">Only deliveries in this status: <c>pending</c>, <c>succeeded</c> or <c>failed</c>.</param>
    /// <param name="eventType">Only deliveries of this event type, e.g. <c>article.published</c>.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of deliveries.</response>
    public static async Task<Ok<Page<WebhookDeliveryDto>>> ListDeliveries(string site, Guid id, ISender sender, CancellationToken ct,
        [EnumParameter(typeof(DeliveryStatus))] string? status = null, string? eventType = null,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(
            new ListWebhookDeliveries(site, id, status, eventType, limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read a delivery with its attempts.</summary>
    /// <remarks>Each attempt shows the receiver's status code and the start of its answer, or what went wrong when none came.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="deliveryId">The delivery's id.</param>
    /// <response code="200">The delivery and its attempts, newest first.</response>
    public static async Task<Ok<WebhookDeliveryDetailDto>> GetDelivery(string site, Guid id, Guid deliveryId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetWebhookDelivery(site, id, deliveryId), ct));

    /// <summary>Send a delivery again.</summary>
    /// <remarks>
    /// A delivery that succeeded or failed becomes pending for an attempt now, with the same event id (<c>webhook-id</c>).
    /// A pending delivery answers 409 <c>webhook_delivery.pending</c>, a disabled subscription 409 <c>webhook.disabled</c>.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="deliveryId">The delivery's id.</param>
    /// <response code="202">The delivery, pending again; <c>Location</c> names it.</response>
    public static async Task<Accepted<WebhookDeliveryDto>> Redeliver(string site, Guid id, Guid deliveryId, ISender sender, CancellationToken ct) =>
        Accepted(site, id, await sender.Send(new RedeliverWebhookDelivery(site, id, deliveryId), ct));

    private static Accepted<WebhookDeliveryDto> Accepted(string site, Guid id, WebhookDeliveryDto delivery) =>
        TypedResults.Accepted($"/api/v1/admin/sites/{site}/webhooks/{id}/deliveries/{delivery.Id}", delivery);

    /// <summary>An action that queues a delivery: 202 with its <c>Location</c>; 409 when the subscription or delivery cannot take it.</summary>
    private static RouteHandlerBuilder ProducesDelivery(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new ResponseHeaderMetadata(DeliveryLocation, [StatusCodes.Status202Accepted]))
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);
}
