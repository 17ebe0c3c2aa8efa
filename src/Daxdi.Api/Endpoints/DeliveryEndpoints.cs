using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Delivery;
using Daxdi.Domain.Taxonomy;
using Mediator;

namespace Daxdi.Api.Endpoints;

/// <summary>
/// Public delivery API for frontend apps: published content only, no key needed. Responses carry a strong ETag,
/// <c>Cache-Control</c> and <c>Surrogate-Key</c>, and are kept in the output cache until the content changes.
/// </summary>
public static class DeliveryEndpoints
{
    public const string OutputCachePolicy = "public";

    public static void Map(IEndpointRouteBuilder app, DeliveryOptions options)
    {
        var site = app.MapGroup("/api/v1/sites/{site}").WithTags("Delivery").AllowAnonymous()
            .RequireCors(SiteCorsPolicyProvider.PolicyName).ProducesPublicCaching();
        if (options.OutputCacheEnabled)
        {
            site.CacheOutput(OutputCachePolicy);
        }

        site.MapGet("/articles", List).WithName("listPublishedArticles")
            .Produces<Page<PublicArticleSummary>>().Produces(StatusCodes.Status304NotModified)
            .WithMetadata(new FieldSelectionMetadata(typeof(PublicArticle), "fields", PublicFields.Allowed))
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/articles/{slug}", Get).WithName("getPublishedArticle")
            .Produces<PublicArticle>().Produces(StatusCodes.Status301MovedPermanently).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/articles/{slug}/recommendations", GetRecommendations).WithName("getArticleRecommendations")
            .Produces<Recommendations>().Produces(StatusCodes.Status301MovedPermanently).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/tags", ListTags).WithName("listPublicTags")
            .Produces<Page<PublicTerm>>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/authors", ListAuthors).WithName("listPublicAuthors")
            .Produces<Page<PublicTerm>>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/sections", ListSections).WithName("listPublicSections")
            .Produces<Page<PublicTerm>>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>List a site's published articles.</summary>
    /// <remarks>
    /// Newest first, with keyset pagination (pass <c>nextCursor</c> back as <c>cursor</c>). With <c>q</c>, the best
    /// full-text matches over title, excerpt and body come first instead (up to 1000 matches). Items carry no body
    /// unless <c>fields</c> asks for <c>html</c>.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="tag">Only articles with this tag (slug).</param>
    /// <param name="author">Only articles by this author (slug).</param>
    /// <param name="section">Only articles in this section (slug).</param>
    /// <param name="language">Only articles in this language (BCP 47 tag, e.g. <c>en</c>).</param>
    /// <param name="from">Only articles published at or after this time (ISO 8601, UTC).</param>
    /// <param name="to">Only articles published at or before this time.</param>
    /// <param name="q">Full-text search: words (all must match), "quoted phrases", OR, -excluded, prefix*.</param>
    /// <param name="fields">Comma-separated fields to return, e.g. <c>slug,title,publishedAt</c>; <c>html</c> adds the body.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of articles.</response>
    /// <response code="304">The client's copy (<c>If-None-Match</c>) is current.</response>
    public static async Task<IResult> List(string site, ISender sender, HttpContext http, PublicResponses responses,
        CancellationToken ct, string? tag = null, string? author = null, string? section = null,
        string? language = null, DateTime? from = null, DateTime? to = null, string? q = null, string? fields = null,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null)
    {
        var page = await sender.Send(new ListPublishedArticles(site, tag, author, section, language, from, to, q, fields,
            limit ?? ListLimits.DefaultLimit, cursor), ct);
        string[] tags = [CacheTags.Site(site), CacheTags.Lists(site)];
        if (fields is null || !PublicFields.TryParse(fields, out var selected))
        {
            return responses.Json(http, page, typeof(Page<JsonFragment>), tags);
        }

        var items = page.Items.Select(item =>
        {
            var node = JsonNode.Parse(item.Utf8)!.AsObject();
            foreach (var name in node.Select(p => p.Key).Where(name => !selected.Contains(name)).ToList())
            {
                node.Remove(name);
            }

            return node;
        }).ToList();
        return responses.Json(http, new Page<JsonObject>(items, page.NextCursor), typeof(Page<JsonObject>), tags);
    }

    /// <summary>Read a published article by slug.</summary>
    /// <remarks>
    /// A former slug answers 301 with <c>Location</c> set to the current one. Drafts, scheduled, archived and deleted
    /// articles answer 404 <c>article.not_found</c>, exactly as a slug that never existed.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="slug">The article's slug.</param>
    /// <response code="200">The article, with its body as sanitized HTML.</response>
    public static async Task<IResult> Get(string site, string slug, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct)
    {
        var result = await sender.Send(new GetPublishedArticle(site, slug), ct);
        return result.Value is { } article
            ? responses.Json(http, article.Json, CacheTags.Site(site), CacheTags.Article(article.Id))
            : responses.MovedPermanently(http, $"/api/v1/sites/{site}/articles/{result.MovedTo}", CacheTags.Site(site), CacheTags.Lists(site));
    }

    /// <summary>"Recommended by our editors" for an article.</summary>
    /// <remarks>
    /// The editors' picks that are published, in their order (<c>reason: editors</c>), then published articles that
    /// share the most tags with this one, most recent first (<c>reason: related</c>). Never the article itself.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="slug">The article's slug.</param>
    /// <param name="limit">How many, 1–20 (default 6).</param>
    /// <response code="200">The recommendations.</response>
    public static async Task<IResult> GetRecommendations(string site, string slug, ISender sender, HttpContext http,
        PublicResponses responses, CancellationToken ct,
        [Range(1, GetArticleRecommendationsValidator.MaxLimit), DefaultValue(GetArticleRecommendationsValidator.DefaultLimit)] int? limit = null)
    {
        var result = await sender.Send(new GetArticleRecommendations(site, slug, limit ?? GetArticleRecommendationsValidator.DefaultLimit), ct);
        string[] tags = [CacheTags.Site(site), CacheTags.Lists(site)];
        return result.Value is { } recommendations
            ? responses.Json(http, recommendations, typeof(Recommendations), tags)
            : responses.MovedPermanently(http, $"/api/v1/sites/{site}/articles/{result.MovedTo}/recommendations", tags);
    }

    /// <summary>List a site's tags with their published-article counts.</summary>
    /// <remarks>Ordered by slug, keyset-paginated; <c>articleCount</c> counts published articles only.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of tags, ordered by slug.</response>
    public static Task<IResult> ListTags(string site, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) => ListTerms(site, TermKind.Tag, sender, http, responses, limit, cursor, ct);

    /// <summary>List a site's authors with their published-article counts.</summary>
    /// <remarks>Ordered by slug, keyset-paginated; <c>articleCount</c> counts published articles only.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of authors, ordered by slug.</response>
    public static Task<IResult> ListAuthors(string site, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) => ListTerms(site, TermKind.Author, sender, http, responses, limit, cursor, ct);

    /// <summary>List a site's sections with their published-article counts.</summary>
    /// <remarks>Ordered by slug, keyset-paginated; <c>articleCount</c> counts published articles only.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of sections, ordered by slug.</response>
    public static Task<IResult> ListSections(string site, ISender sender, HttpContext http, PublicResponses responses, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) => ListTerms(site, TermKind.Section, sender, http, responses, limit, cursor, ct);

    private static async Task<IResult> ListTerms(string site, TermKind kind, ISender sender, HttpContext http, PublicResponses responses,
        int? limit, string? cursor, CancellationToken ct)
    {
        var page = await sender.Send(new ListPublicTerms(site, kind, limit ?? ListLimits.DefaultLimit, cursor), ct);
        return responses.Json(http, page, typeof(Page<PublicTerm>), CacheTags.Site(site), CacheTags.Lists(site));
    }
}
