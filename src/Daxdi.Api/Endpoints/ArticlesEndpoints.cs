using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Articles;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Daxdi.Api.Endpoints;

/// <summary>Admin: articles and their editorial workflow (editors; authors for their own drafts).</summary>
public static class ArticlesEndpoints
{
    /// <summary>JSON escapes (<c>\u003c</c> for <c>&lt;</c>) can make a body six times longer; room for that and the other fields.</summary>
    private const long ArticleRequestLimit = ArticleRules.BodyMaxBytes * 7L;

    /// <summary>A batch of articles of news size (a few KB each); larger ones go one by one.</summary>
    private const long BatchRequestLimit = 4L * 1024 * 1024;

    public static void Map(RouteGroupBuilder admin)
    {
        var inSite = admin.MapGroup("/sites/{site}/articles").WithTags("Articles").RequireEditorsAndAuthors(AuthorScopeKind.Site);
        inSite.MapPost("", Create).WithName("createArticle").ProducesETag()
            .WithMetadata(new RequestSizeLimitAttribute(ArticleRequestLimit))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        inSite.MapPost("/batch", CreateBatch).WithName("createArticles")
            .WithMetadata(new RequestSizeLimitAttribute(BatchRequestLimit))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        inSite.MapGet("", List).WithName("listArticles")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var articles = admin.MapGroup("/articles/{id:guid}").WithTags("Articles").RequireEditorsAndAuthors(AuthorScopeKind.Article);
        articles.MapGet("", Get).WithName("getArticle").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        articles.MapPut("", Replace).WithName("replaceArticle")
            .WithMetadata(new RequestSizeLimitAttribute(ArticleRequestLimit))
            .ProducesChangeProblems().ProducesETag().ProducesProblem(StatusCodes.Status409Conflict);
        articles.MapDelete("", Delete).WithName("deleteArticle").ProducesChangeProblems();
        articles.MapPost("/publish", Publish).WithName("publishArticle").ProducesTransitionProblems();
        articles.MapPost("/schedule", Schedule).WithName("scheduleArticle").ProducesTransitionProblems();
        articles.MapPost("/unpublish", Unpublish).WithName("unpublishArticle").ProducesTransitionProblems();
        articles.MapPost("/archive", Archive).WithName("archiveArticle").ProducesTransitionProblems();
        articles.MapPut("/recommendations", SetRecommendations).WithName("setArticleRecommendations").ProducesChangeProblems().ProducesETag();
        articles.MapGet("/similar", ListSimilar).WithName("listSimilarArticles")
            .ProducesProblem(StatusCodes.Status404NotFound);
        articles.MapGet("/revisions", ListRevisions).WithName("listArticleRevisions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        articles.MapGet("/revisions/{number:int}", GetRevision).WithName("getArticleRevision")
            .ProducesProblem(StatusCodes.Status404NotFound);
        articles.MapPost("/revisions/{number:int}/restore", RestoreRevision).WithName("restoreArticleRevision")
            .ProducesChangeProblems().ProducesETag();
    }

    /// <summary>Create a draft, or an article published at once.</summary>
    /// <remarks>
    /// The slug is generated from the title when omitted (accents transliterated, <c>-2</c>, <c>-3</c>… on collision).
    /// Markdown bodies are rendered; all HTML is sanitized. Tags that do not exist yet are created.
    /// An author key creates drafts with itself as author.
    /// With <c>publish=true</c> (editors only) the article is live when the call returns: one request, one version
    /// and one revision instead of a create followed by <c>POST …/publish</c>, which is what an archive import wants.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="publish">Publish the new article at once (editors only).</param>
    /// <param name="publishedAt">With <c>publish=true</c>: the publication date to show, e.g. the original date of an imported story.</param>
    /// <response code="201">The draft or published article; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static async Task<Created<ArticleDto>> Create(string site, ArticleFields body, ISender sender, CancellationToken ct,
        bool publish = false, DateTime? publishedAt = null)
    {
        var article = await sender.Send(new CreateArticle(site, body, publish, publishedAt), ct);
        return TypedResults.Created($"/api/v1/admin/articles/{article.Id}", article);
    }

    /// <summary>Create up to 100 articles in one request (editors only): an archive import.</summary>
    /// <remarks>
    /// All or nothing: one commit creates every article, each exactly as a single create would (slug, sanitized body,
    /// revision, webhook event, public document), or a refused one leaves the store as it was. Errors name the item:
    /// <c>items[3].article.title</c> in a 400, <c>items[3]: …</c> in a 409. The request may be up to 4 MB.
    /// With <c>publish=true</c> the articles are live when the call returns, each dated by its <c>publishedAt</c> or now.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="body">The articles, in order.</param>
    /// <param name="publish">Publish the new articles at once.</param>
    /// <response code="200">The created articles in the order sent: id, slug, status, version (the next <c>If-Match</c>).</response>
    public static async Task<Ok<CreatedArticles>> CreateBatch(string site, CreateArticlesBody body, ISender sender, CancellationToken ct,
        bool publish = false) =>
        TypedResults.Ok(await sender.Send(new CreateArticles(site, body.Items, publish), ct));

    /// <summary>List a site's articles in every status, newest first.</summary>
    /// <remarks>Keyset pagination: pass <c>nextCursor</c> back as <c>cursor</c> until it is <c>null</c>.</remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="status">Only articles in this status: <c>draft</c>, <c>scheduled</c>, <c>published</c> or <c>archived</c>.</param>
    /// <param name="author">Only articles with this author (slug).</param>
    /// <param name="tag">Only articles with this tag (slug).</param>
    /// <param name="section">Only articles in this section (slug).</param>
    /// <param name="q">Only articles whose title contains this text (case-insensitive).</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of articles.</response>
    public static async Task<Ok<Page<ArticleSummaryDto>>> List(string site, ISender sender, CancellationToken ct,
        [EnumParameter(typeof(ArticleStatus))] string? status = null, string? author = null, string? tag = null,
        string? section = null, string? q = null,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(
            new ListArticles(site, status, author, tag, section, q, limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read an article.</summary>
    /// <remarks>The <c>ETag</c> header carries the version to send as <c>If-Match</c> with every change.</remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The article, with its version as <c>ETag</c>.</response>
    public static async Task<Ok<ArticleDto>> Get(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetArticle(id), ct));

    /// <summary>Replace an article's content (save).</summary>
    /// <remarks>
    /// A full replacement: send every field you want to keep. <c>slug: null</c> keeps the current slug; a new slug
    /// keeps the old one as a redirect. Requires <c>If-Match</c> (428 without it, 412 if stale). Authors may
    /// save only drafts they are an author of.
    /// </remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The saved article, with its new <c>ETag</c>.</response>
    public static async Task<Ok<ArticleDto>> Replace(Guid id, ArticleFields body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ReplaceArticle(id, ifMatch.Required, body), ct));

    /// <summary>Delete an article (soft delete; editors only).</summary>
    /// <remarks>The article disappears from every read and list; its revisions and slugs are kept. Requires <c>If-Match</c>.</remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="204">Deleted.</response>
    public static async Task<NoContent> Delete(Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new DeleteArticle(id, ifMatch.Required), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Publish now (editors only).</summary>
    /// <remarks>
    /// From draft or scheduled. <c>publishedAt</c> is set on the first publication and kept on later ones unless the
    /// body sets it. Anything else is 422 <c>article.invalid_transition</c>. Requires <c>If-Match</c>.
    /// </remarks>
    /// <param name="id">The article's id.</param>
    /// <param name="body">Optional: <c>{ "publishedAt": "…" }</c> to set the publication date.</param>
    /// <response code="200">The published article.</response>
    public static async Task<Ok<ArticleDto>> Publish(Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct,
        [FromBody] PublishArticleBody? body = null) =>
        TypedResults.Ok(await sender.Send(new PublishArticle(id, ifMatch.Required, body?.PublishedAt), ct));

    /// <summary>Schedule publication (editors only).</summary>
    /// <remarks>From draft only; <c>at</c> must be in the future. A background job publishes it then, once, even with several API nodes. Requires <c>If-Match</c>.</remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The scheduled article.</response>
    public static async Task<Ok<ArticleDto>> Schedule(Guid id, ScheduleArticleBody body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ScheduleArticle(id, ifMatch.Required, body), ct));

    /// <summary>Back to draft (editors only).</summary>
    /// <remarks>Takes a published article down, cancels a schedule, or reopens an archived article. Requires <c>If-Match</c>.</remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The article, now a draft.</response>
    public static async Task<Ok<ArticleDto>> Unpublish(Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new UnpublishArticle(id, ifMatch.Required), ct));

    /// <summary>Archive a published article (editors only).</summary>
    /// <remarks>Archived articles leave the public site. Requires <c>If-Match</c>.</remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The archived article.</response>
    public static async Task<Ok<ArticleDto>> Archive(Guid id, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ArchiveArticle(id, ifMatch.Required), ct));

    /// <summary>Set the editors' recommendations (editors only).</summary>
    /// <remarks>
    /// An ordered list of up to 10 other articles of the same site, shown as "Recommended by our editors".
    /// The article itself, repeats and other sites' articles are refused (400). Requires <c>If-Match</c>.
    /// </remarks>
    /// <param name="id">The article's id.</param>
    /// <response code="200">The article with its new recommendations.</response>
    public static async Task<Ok<ArticleDto>> SetRecommendations(Guid id, RecommendationsBody body, ExpectedVersion ifMatch, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new SetRecommendations(id, ifMatch.Required, body), ct));

    /// <summary>List an article's revisions, newest first.</summary>
    /// <remarks>Every save and workflow action adds one; revision <c>n</c> is the article at version <c>n</c>.</remarks>
    /// <param name="id">The article's id.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of revisions.</response>
    public static async Task<Ok<Page<RevisionSummaryDto>>> ListRevisions(Guid id, ISender sender, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListRevisions(id, limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>The articles of the site closest to this one, with scores: duplicates in the archive.</summary>
    /// <remarks>
    /// The same index as the import's duplicate check (<c>docs/api/import.md</c>): MinHash signatures of the title and
    /// body text, looked up through locality-sensitive hashing. <c>similarity</c> estimates the share of 3-word
    /// shingles two texts have in common (0 to 1); <c>duplicate</c> is true at or above <c>threshold</c>. Articles
    /// below 0.1 are not listed. Deleted articles never are.
    /// </remarks>
    /// <param name="id">The article.</param>
    /// <param name="limit">At most this many articles (1 to 50).</param>
    public static async Task<Ok<SimilarArticlesDto>> ListSimilar(Guid id, ISender sender, CancellationToken ct,
        [Range(1, ListSimilarArticles.MaxLimit), DefaultValue(ListSimilarArticles.DefaultLimit)] int? limit = null) =>
        TypedResults.Ok(await sender.Send(new ListSimilarArticles(id, limit ?? ListSimilarArticles.DefaultLimit), ct));

    /// <summary>Read one revision with its full snapshot.</summary>
    /// <remarks>Authors, tags and the section are shown as they are named now; ones deleted since are left out.</remarks>
    /// <param name="id">The article's id.</param>
    /// <param name="number">The revision number.</param>
    /// <response code="200">The revision.</response>
    public static async Task<Ok<RevisionDto>> GetRevision(Guid id, [Range(1, int.MaxValue)] int number, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetRevision(id, number), ct));

    /// <summary>Restore a revision's content.</summary>
    /// <remarks>
    /// Saves the revision's content as a new revision (history is never rewritten); status and recommendations
    /// stay as they are. Requires <c>If-Match</c> with the article's current ETag.
    /// </remarks>
    /// <param name="id">The article's id.</param>
    /// <param name="number">The revision to restore.</param>
    /// <response code="200">The article with the restored content.</response>
    public static async Task<Ok<ArticleDto>> RestoreRevision(Guid id, [Range(1, int.MaxValue)] int number, ExpectedVersion ifMatch, ISender sender,
        CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RestoreRevision(id, number, ifMatch.Required), ct));

    /// <summary>What a change to an article can answer besides success.</summary>
    private static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .RequiresIfMatch()
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A workflow step: a change that the article's status may forbid (422 <c>article.invalid_transition</c>).</summary>
    private static RouteHandlerBuilder ProducesTransitionProblems(this RouteHandlerBuilder builder) => builder
        .ProducesChangeProblems()
        .ProducesETag()
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
