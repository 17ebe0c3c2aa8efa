using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.ConsentReceipts;
using Daxdi.Domain.Security;
using Daxdi.Infrastructure.Consent;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Endpoints;

/// <summary>
/// The keys that sign consent receipts: the public JWKS that verifies them (anyone, offline) and their rotation
/// (<c>compliance</c> and admins).
/// </summary>
public static class ConsentKeysEndpoints
{
    /// <summary>The documented public route of the receipt keys' JWKS.</summary>
    public const string JwksPath = "/api/v1/consent/jwks.json";

    private static readonly ResponseHeader JwksCacheControl = new("JwksCacheControl", "Cache-Control",
        "How long clients and shared caches may keep the key set (`Consent:JwksMaxAgeSeconds`). A receipt whose `kid` is " +
        "not in a kept copy was signed after a rotation: fetch the set again.",
        Required: true, "public, max-age=300", Pattern: "^public, max-age=[0-9]+$");

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder admin)
    {
        int[] content = [StatusCodes.Status200OK, StatusCodes.Status304NotModified];
        app.MapGet(JwksPath, GetJwks).WithName("getConsentReceiptJwks").WithTags("Consent").AllowAnonymous()
            .RequireCors(cors => cors.AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head).WithExposedHeaders(HeaderNames.ETag))
            .Produces<ReceiptKeySet>().Produces(StatusCodes.Status304NotModified)
            .WithMetadata(new IfNoneMatchMetadata(),
                new ResponseHeaderMetadata(JwksCacheControl, content),
                new ResponseHeaderMetadata(ResponseHeaders.ETag, content));

        admin.MapPost("/consent-signing-keys/rotate", Rotate).WithName("rotateConsentSigningKey").WithTags("Consent")
            .RequireRoles(ApiRole.Compliance);
    }

    /// <summary>The public keys that verify consent receipts (a JSON Web Key Set).</summary>
    /// <remarks>
    /// Every receipt carries a compact JWS: <c>alg</c> is ES256, <c>kid</c> names the key that signed it and <c>typ</c> is
    /// <c>daxdi-consent-receipt+jwt</c>. To verify one offline, take the key of this set whose <c>kid</c> the JWS header
    /// names and check the ECDSA P-256 / SHA-256 signature (r‖s, 64 bytes) over <c>header.payload</c> as RFC 7515 says.
    /// Retired keys stay in the set, newest first, so receipts signed before a rotation keep verifying. No key needed;
    /// any origin may read it. A strong <c>ETag</c> answers <c>If-None-Match</c> with 304.
    /// </remarks>
    /// <response code="200">The key set; never a private key.</response>
    /// <response code="304">The client's copy (<c>If-None-Match</c>) is current.</response>
    public static async Task<IResult> GetJwks(IConsentReceiptSigner signer, IPublicJson json, IOptions<ReceiptKeyOptions> options,
        HttpContext http, CancellationToken ct)
    {
        var rendered = json.Render(await signer.PublicKeysAsync(ct), typeof(ReceiptKeySet));
        http.Response.Headers.ETag = rendered.ETag;
        http.Response.Headers.CacheControl = $"public, max-age={options.Value.JwksMaxAgeSeconds}";
        var etag = new EntityTagHeaderValue(rendered.ETag);
        return http.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(rendered.Bytes, "application/json; charset=utf-8");
    }

    /// <summary>Rotate the key that signs consent receipts.</summary>
    /// <remarks>
    /// A new ES256 key signs every receipt from now on: at once on the node that answers, within
    /// <c>Consent:SigningKeyRefreshSeconds</c> (60 s by default) on the others. The key that signed until now is retired and
    /// stays in the JWKS, so every receipt it signed still verifies. Rotate when a key may be exposed, when the Data
    /// Protection key ring was lost, or on a schedule. The private key is never returned.
    /// </remarks>
    /// <response code="200">The new key's id, the keys it retired, and the JWKS as it is now published.</response>
    public static async Task<Ok<ReceiptKeyRotation>> Rotate(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RotateReceiptSigningKey(), ct));
}
