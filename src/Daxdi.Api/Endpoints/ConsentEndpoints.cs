using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.Consent;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Abstractions;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Consent;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Daxdi.Api.Endpoints;

/// <summary>Consent records: what cookie banners post, what they check, and the compliance team's proof.</summary>
public static class ConsentEndpoints
{
    /// <summary>A decision is a few hundred bytes; room for every category of a large policy.</summary>
    private const long DecisionRequestLimit = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder admin)
    {
        var site = app.MapGroup("/api/v1/sites/{site}").WithTags("Consent").AllowAnonymous()
            .RequireCors(SiteCorsPolicyProvider.PolicyName);
        site.MapPost("/consents", Record).WithName("recordConsent")
            .RequireRateLimiting(RateLimiting.ConsentPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(DecisionRequestLimit))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        site.MapGet("/consent-subjects/{subjectId}", GetSubject).WithName("getConsentSubject").ProducesPrivateCaching()
            .Produces<EffectiveConsent>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var compliance = admin.MapGroup("/sites/{site}").WithTags("Consent").RequireRoles(ApiRole.Compliance);
        compliance.MapGet("/consents", Search).WithName("searchConsentRecords")
            .ProducesProblem(StatusCodes.Status404NotFound);
        compliance.MapGet("/consents/verification", Verify).WithName("verifyConsentChain")
            .ProducesProblem(StatusCodes.Status404NotFound);
        compliance.MapGet("/consent-subjects/{subjectId}", Export).WithName("exportConsentSubject")
            .ProducesProblem(StatusCodes.Status404NotFound);
        compliance.MapDelete("/consent-subjects/{subjectId}", Erase).WithName("eraseConsentSubject")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Record a visitor's decision on the cookie banner.</summary>
    /// <remarks>
    /// Public (no key), for the site's banner: CORS follows the site's origins, and each client address may post a
    /// limited number of decisions a minute (429 with <c>Retry-After</c> beyond it). The server adds its own time, the
    /// client address truncated or keyed-hashed (never raw), the browser family (never the user agent) and the
    /// <c>Sec-GPC</c> signal. An <c>implied</c> decision ("Continue") is recorded but grants only strictly necessary
    /// categories, and its receipt says why. The answer is a receipt to keep: once it is answered, the record is stored
    /// and chained.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="body">What the visitor chose.</param>
    /// <response code="201">The receipt; <c>Location</c> is the visitor's effective consent.</response>
    public static async Task<Created<ConsentReceipt>> Record(string site, RecordConsentBody body, HttpContext http, ConsentClients clients,
        ISender sender, IConsentReceiptSigner signer, IPublicJson json, CancellationToken ct)
    {
        // The key is loaded before the decision is stored: a store or key-ring failure refuses the request with nothing
        // written, and the signature after the commit (which needs the record's hash) is a computation that cannot fail.
        await signer.EnsureReadyAsync(ct);
        var receipt = await sender.Send(new RecordConsent(site, body, clients.Of(http)), ct);
        // The payload is the receipt as answered, without the signature.
        var signature = await signer.SignAsync(json.Serialize(receipt, typeof(ConsentReceipt)), ct);
        return TypedResults.Created($"/api/v1/sites/{site}/consent-subjects/{receipt.SubjectId}", receipt with { Signature = signature });
    }

    /// <summary>A visitor's effective consent now.</summary>
    /// <remarks>
    /// From their latest decision. An expired or withdrawn decision, or one made under a policy version that a later
    /// version changed (categories, services or wording), answers <c>renewalRequired: true</c> with only the required
    /// categories. Send the <c>ETag</c> back as <c>If-None-Match</c> to poll cheaply (304 while nothing changed).
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="subjectId">The pseudonymous id from the visitor's receipt.</param>
    /// <response code="200">The effective consent, with an <c>ETag</c>.</response>
    public static async Task<IResult> GetSubject(string site, string subjectId, ISender sender, HttpContext http, PublicResponses responses,
        CancellationToken ct) =>
        responses.Private(http, await sender.Send(new GetConsentSubject(site, subjectId), ct), typeof(EffectiveConsent));

    /// <summary>Search the site's consent records (compliance).</summary>
    /// <remarks>Newest first, with keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="subjectId">Only this subject's records.</param>
    /// <param name="decision">Only this decision: <c>acceptAll</c>, <c>rejectAll</c>, <c>custom</c>, <c>implied</c> or <c>withdraw</c>.</param>
    /// <param name="policyVersion">Only decisions under this policy version.</param>
    /// <param name="from">Only records at or after this time (ISO 8601, UTC).</param>
    /// <param name="to">Only records at or before this time.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of records.</response>
    public static async Task<Ok<Page<ConsentRecordDto>>> Search(string site, ISender sender, CancellationToken ct,
        string? subjectId = null, [EnumParameter(typeof(ConsentDecisionKind))] string? decision = null, [Range(1, int.MaxValue)] int? policyVersion = null,
        DateTime? from = null, DateTime? to = null,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new SearchConsentRecords(site, subjectId, decision, policyVersion, from, to,
            limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Export everything about one subject (compliance): a data-subject access request.</summary>
    /// <remarks>Every decision of the subject, oldest first, with its proof, and the exact policy versions they decided under.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="subjectId">The subject's pseudonymous id.</param>
    /// <response code="200">The export, as JSON.</response>
    public static async Task<Ok<ConsentSubjectExport>> Export(string site, string subjectId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ExportConsentSubject(site, subjectId), ct));

    /// <summary>Erase a subject (compliance).</summary>
    /// <remarks>
    /// The personal fields of every record of the subject (subject id, client address, browser family, page URL) are
    /// erased irreversibly, with the salt of their commitment. The records stay as proof: the chain still verifies and
    /// the counts of decisions do not change. The subject id is then unknown: a second erasure answers 404.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="subjectId">The subject's pseudonymous id.</param>
    /// <response code="200">How many records were erased.</response>
    public static async Task<Ok<ConsentErasure>> Erase(string site, string subjectId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new EraseConsentSubject(site, subjectId), ct));

    /// <summary>Verify the site's chain of consent records (compliance).</summary>
    /// <remarks>
    /// Recomputes every record's hash from its stored fields, checks each link to the record before it and the chain's
    /// head: a row edited, deleted or inserted in the database is reported with the first record that does not match.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The report: <c>ok</c>, or the first failure and why.</response>
    public static async Task<Ok<ConsentChainReport>> Verify(string site, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new VerifyConsentChain(site), ct));
}
