using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Daxdi.Api.Endpoints;

/// <summary>Admin: the sites of the network (admin role only).</summary>
public static class SitesEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        var sites = admin.MapGroup("/sites").WithTags("Sites");
        sites.MapPost("", Create).WithName("createSite").ProducesETag()
            .ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapGet("", List).WithName("listSites");
        sites.MapGet("/{site}", Get).WithName("getSite").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapPut("/{site}", Update).WithName("updateSite").AcceptsIfMatch().ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapDelete("/{site}", Delete).WithName("deleteSite").RequiresIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Create a site.</summary>
    /// <remarks>The key is permanent: it appears in every public URL of the site. Answers 409 <c>site.key_taken</c> if it is in use.</remarks>
    /// <response code="201">The site; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static async Task<Created<SiteDto>> Create(CreateSite body, ISender sender, CancellationToken ct)
    {
        var site = await sender.Send(body, ct);
        return TypedResults.Created($"/api/v1/admin/sites/{site.Key}", site);
    }

    /// <summary>List sites, ordered by key.</summary>
    /// <remarks>Keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>.</remarks>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of sites.</response>
    public static async Task<Ok<Page<SiteDto>>> List(ISender sender, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListSites(limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read a site.</summary>
    /// <remarks>The <c>ETag</c> header carries the version to send as <c>If-Match</c> when updating or deleting.</remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The site, with its version as <c>ETag</c>.</response>
    public static async Task<Ok<SiteDto>> Get(string site, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetSite(site), ct));

    /// <summary>Replace a site's editable fields.</summary>
    /// <remarks>Send <c>If-Match</c> with the ETag you read to avoid overwriting someone else's change (412 if stale).</remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="200">The updated site, with its new <c>ETag</c>.</response>
    public static async Task<Ok<SiteDto>> Update(string site, SiteFields body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new UpdateSite(site, ifMatch.Value, body), ct));

    /// <summary>Delete a site.</summary>
    /// <remarks>
    /// Requires <c>If-Match</c> with the site's current ETag (428 without it, 412 if stale). Refused with 409
    /// <c>site.has_articles</c> while the site has articles; its taxonomy and deleted articles go with it.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <response code="204">Deleted.</response>
    public static async Task<NoContent> Delete(string site, ExpectedVersion ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new DeleteSite(site, ifMatch.Required), ct);
        return TypedResults.NoContent();
    }
}
