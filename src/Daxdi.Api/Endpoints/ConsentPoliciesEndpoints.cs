using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.ConsentPolicies;
using Daxdi.Domain.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Daxdi.Api.Endpoints;

/// <summary>
/// Consent policies: the versions of a site's cookie banner (compliance officers and admins), and the current one for
/// visitors' banners (public).
/// </summary>
public static class ConsentPoliciesEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        var policies = admin.MapGroup("/sites/{site}/consent-policies").WithTags("Consent policies").RequireRoles(ApiRole.Compliance);
        policies.MapPost("", Create).WithName("createConsentPolicy").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        policies.MapGet("", List).WithName("listConsentPolicies")
            .ProducesProblem(StatusCodes.Status404NotFound);
        policies.MapGet("/{version:int}", Get).WithName("getConsentPolicy").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        policies.MapPut("/{version:int}", Replace).WithName("replaceConsentPolicy").RequiresIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        policies.MapPost("/{version:int}/publish", Publish).WithName("publishConsentPolicy").RequiresIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The public route, beside the delivery API: anonymous, CORS for the site's origins, cached until a version is published.</summary>
    public static void MapPublic(IEndpointRouteBuilder app, DeliveryOptions options)
    {
        var site = app.MapGroup("/api/v1/sites/{site}").WithTags("Consent").AllowAnonymous()
            .RequireCors(SiteCorsPolicyProvider.PolicyName).ProducesPublicCaching();
        if (options.OutputCacheEnabled)
        {
            site.CacheOutput(DeliveryEndpoints.OutputCachePolicy);
        }

        site.MapGet("/consent-policy", GetCurrent).WithName("getCurrentConsentPolicy")
            .Produces<PublicConsentPolicy>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Create a draft version of the site's cookie banner.</summary>
    /// <remarks>
    /// The version is numbered one past the site's highest (<c>number</c>: 1, 2, 3 …) and starts as a <c>draft</c>.
    /// The body is checked for its shape (400 <c>request.validation_failed</c>, errors by field): keys of letters,
    /// digits, <c>-</c> and <c>_</c>; at least one language, control and category; unique keys; absolute http(s)
    /// policy URLs; Consent Mode naming this policy's categories and the seven v2 signals only; GPC naming optional
    /// categories only; positive lifetimes. The legal rules are checked when it is published, so a draft may break them.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="201">The draft; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static async Task<Created<ConsentPolicyDto>> Create(string site, ConsentPolicyFields body, ISender sender, CancellationToken ct)
    {
        var policy = await sender.Send(new CreateConsentPolicy(site, body), ct);
        return TypedResults.Created($"/api/v1/admin/sites/{site}/consent-policies/{policy.Number}", policy);
    }

    /// <summary>List the site's consent policy versions, newest first.</summary>
    /// <remarks>
    /// Each version's number, status, content hash, publication time and whether it asked earlier decisions again;
    /// read one version for its content. Keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of versions.</response>
    public static async Task<Ok<Page<ConsentPolicySummary>>> List(string site, ISender sender, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListConsentPolicies(site, limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read a consent policy version, draft or published.</summary>
    /// <remarks>
    /// A version the site does not have answers 404 <c>consent_policy.not_found</c>. The <c>ETag</c> header carries the
    /// concurrency version to send as <c>If-Match</c> when replacing or publishing it.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="version">The policy version (its <c>number</c>).</param>
    /// <response code="200">The version, with its concurrency version as <c>ETag</c>.</response>
    public static async Task<Ok<ConsentPolicyDto>> Get(string site, int version, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetConsentPolicy(site, version), ct));

    /// <summary>Replace a draft version's content.</summary>
    /// <remarks>
    /// A full replacement, checked as on create. Only drafts change: a published version answers 422
    /// <c>consent_policy.published</c> (create a new version instead). Requires <c>If-Match</c> (428 without it, 412 if stale).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="version">The policy version (its <c>number</c>).</param>
    /// <response code="200">The draft, with its new <c>ETag</c>.</response>
    public static async Task<Ok<ConsentPolicyDto>> Replace(string site, int version, ConsentPolicyFields body, ExpectedVersion ifMatch,
        ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ReplaceConsentPolicy(site, version, ifMatch.Required, body), ct));

    /// <summary>Publish a draft version: it becomes the site's current policy and never changes again.</summary>
    /// <remarks>
    /// Publishing checks what a data-protection authority asks of a banner, each refusal a 422 with its code:
    /// an optional category that starts ticked (<c>consent_policy.optional_preticked</c>, CJEU Planet49), a required
    /// category without its justification (<c>consent_policy.required_unjustified</c>), no required category at all
    /// (<c>consent_policy.no_required_category</c>), a consent lasting more than 13 months
    /// (<c>consent_policy.consent_lifetime_too_long</c>), a refusal respected for less than 6 months
    /// (<c>consent_policy.refusal_lifetime_too_short</c>), an accept-all control without a way to refuse
    /// (<c>consent_policy.no_way_to_refuse</c>). A published version answers <c>consent_policy.published</c>; a draft
    /// numbered below the current version <c>consent_policy.superseded</c>. The content hash is fixed, and
    /// <c>renewsConsent</c> says whether decisions recorded under earlier versions must be asked again (categories,
    /// services or wording changed). Requires <c>If-Match</c> (428 without it, 412 if stale).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="version">The policy version (its <c>number</c>).</param>
    /// <response code="200">The published version, with its new <c>ETag</c>.</response>
    public static async Task<Ok<ConsentPolicyDto>> Publish(string site, int version, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new PublishConsentPolicy(site, version, ifMatch.Required), ct));

    /// <summary>The site's current cookie banner: its latest published consent policy.</summary>
    /// <remarks>
    /// What a banner shows and sends back: <c>number</c> is the <c>policyVersion</c> of a decision, the control keys its
    /// <c>control</c>, the category keys its choices. A site that has published no policy answers 404
    /// <c>consent_policy.none</c>. Cacheable: strong <c>ETag</c>, <c>If-None-Match</c> answers 304, evicted when a
    /// new version is published.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The current policy.</response>
    /// <response code="304">The client's copy (<c>If-None-Match</c>) is current.</response>
    public static async Task<IResult> GetCurrent(string site, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct)
    {
        var policy = await sender.Send(new GetCurrentConsentPolicy(site), ct);
        return responses.Json(http, policy, typeof(PublicConsentPolicy), CacheTags.Site(site));
    }
}
