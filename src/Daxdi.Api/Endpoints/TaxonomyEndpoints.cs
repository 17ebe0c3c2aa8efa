using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Taxonomy;
using Daxdi.Domain.Security;
using Daxdi.Domain.Taxonomy;
using Mediator;

namespace Daxdi.Api.Endpoints;

/// <summary>
/// Admin: the authors, tags and sections of a site. The three share one shape, so one set of handlers serves them
/// (each endpoint carries its <see cref="TermKind"/> as metadata); editors change them, authors may read them.
/// Only the request bodies differ (authors have a bio and avatar).
/// </summary>
public static class TaxonomyEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        MapKind(admin, TermKind.Author, "authors", typeof(AuthorDto),
            "Author profiles: name, slug, bio and avatar. An API key with the author role is bound to one by slug.",
            CreateAuthor, UpdateAuthor);
        MapKind(admin, TermKind.Tag, "tags", typeof(TermDto),
            "Tags are also created on first use when an article names one that does not exist.",
            CreateTerm, UpdateTerm);
        MapKind(admin, TermKind.Section, "sections", typeof(TermDto),
            "Each article belongs to at most one section (news, sport, opinion…).",
            CreateTerm, UpdateTerm);
    }

    private static void MapKind(RouteGroupBuilder admin, TermKind kind, string path, Type dtoType, string about,
        Delegate create, Delegate update)
    {
        var singular = kind.ToString();
        var noun = singular.ToLowerInvariant();
        var aNoun = (kind == TermKind.Author ? "an " : "a ") + noun;
        var group = admin.MapGroup($"/sites/{{site}}/{path}").WithTags($"{singular}s").WithMetadata(new KindMetadata(kind));
        var pageType = typeof(Page<>).MakeGenericType(dtoType);

        group.MapPost("", create)
            .WithName($"create{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Create {aNoun}.")
            .WithDescription($"{about} The slug is generated from the name when omitted. 409 `{noun}.slug_taken` if the slug is in use.")
            .Produces(StatusCodes.Status201Created, dtoType).ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("", List)
            .WithName($"list{singular}s").RequireEditorsAndAuthors(AuthorScopeKind.Site)
            .WithSummary($"List the site's {noun}s, ordered by slug.")
            .WithDescription("Keyset pagination: pass `nextCursor` back as `cursor` until it is null.")
            .Produces(StatusCodes.Status200OK, pageType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{slug}", Get)
            .WithName($"get{singular}").RequireEditorsAndAuthors(AuthorScopeKind.Site)
            .WithSummary($"Read {aNoun}.")
            .WithDescription("The `ETag` header carries the version to send as `If-Match` when updating or deleting.")
            .Produces(StatusCodes.Status200OK, dtoType).ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{slug}", update)
            .WithName($"update{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Replace {aNoun}.")
            .WithDescription("Renames and new slugs apply to every article at once (articles refer to it by id). `slug: null` keeps the slug. Optional `If-Match` (412 if stale).")
            .Produces(StatusCodes.Status200OK, dtoType).ProducesETag()
            .AcceptsIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{slug}", Delete)
            .WithName($"delete{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Delete {aNoun}.")
            .WithDescription($"Refused with 409 `{noun}.in_use` while articles use it, unless `?force=true`, which detaches it from them (each gets a new version). Optional `If-Match`.")
            .Produces(StatusCodes.Status204NoContent)
            .AcceptsIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <param name="site">The site's key.</param>
    /// <response code="201">The author; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static Task<IResult> CreateAuthor(string site, AuthorFields body, ISender sender, HttpContext http, CancellationToken ct) =>
        CreateAsync(site, body, sender, http, ct);

    /// <param name="site">The site's key.</param>
    /// <response code="201">The tag or section; <c>Location</c> and <c>ETag</c> headers are set.</response>
    public static Task<IResult> CreateTerm(string site, TermFields body, ISender sender, HttpContext http, CancellationToken ct) =>
        CreateAsync(site, body, sender, http, ct);

    /// <param name="site">The site's key.</param>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page, ordered by slug.</response>
    public static async Task<IResult> List(string site, ISender sender, HttpContext http, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null)
    {
        var page = await sender.Send(new ListTerms(site, KindOf(http), limit ?? ListLimits.DefaultLimit, cursor), ct);
        return Results.Ok(new Page<object>([.. page.Items], page.NextCursor)); // items as their runtime type
    }

    /// <param name="site">The site's key.</param>
    /// <param name="slug">The slug of the author, tag or section.</param>
    /// <response code="200">It, with its version as <c>ETag</c>.</response>
    public static async Task<IResult> Get(string site, string slug, ISender sender, HttpContext http, CancellationToken ct) =>
        AsItsType(await sender.Send(new GetTerm(site, KindOf(http), slug), ct));

    /// <param name="site">The site's key.</param>
    /// <param name="slug">The author's current slug.</param>
    /// <response code="200">The author, with its new <c>ETag</c>.</response>
    public static Task<IResult> UpdateAuthor(string site, string slug, AuthorFields body, ExpectedVersion ifMatch, ISender sender, HttpContext http,
        CancellationToken ct) =>
        UpdateAsync(site, slug, body, ifMatch, sender, http, ct);

    /// <param name="site">The site's key.</param>
    /// <param name="slug">The current slug of the tag or section.</param>
    /// <response code="200">The tag or section, with its new <c>ETag</c>.</response>
    public static Task<IResult> UpdateTerm(string site, string slug, TermFields body, ExpectedVersion ifMatch, ISender sender, HttpContext http,
        CancellationToken ct) =>
        UpdateAsync(site, slug, body, ifMatch, sender, http, ct);

    /// <param name="site">The site's key.</param>
    /// <param name="slug">The slug of the author, tag or section.</param>
    /// <param name="force">Detach it from the articles that use it instead of refusing (409).</param>
    /// <response code="204">Deleted.</response>
    public static async Task<IResult> Delete(string site, string slug, ExpectedVersion ifMatch, ISender sender, HttpContext http, CancellationToken ct,
        bool force = false)
    {
        await sender.Send(new DeleteTerm(site, KindOf(http), slug, ifMatch.Value, force), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(string site, TaxonomyFields body, ISender sender, HttpContext http, CancellationToken ct)
    {
        var dto = await sender.Send(new CreateTerm(site, KindOf(http), body), ct);
        return Results.Created(http.Request.Path.Add($"/{dto.Slug}"), (object)dto);
    }

    private static async Task<IResult> UpdateAsync(string site, string slug, TaxonomyFields body, ExpectedVersion ifMatch, ISender sender,
        HttpContext http, CancellationToken ct) =>
        AsItsType(await sender.Send(new UpdateTerm(site, KindOf(http), slug, ifMatch.Value, body), ct));

    /// <summary>Which kind of term the endpoint serves (set as metadata on its group).</summary>
    private static TermKind KindOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<KindMetadata>()?.Kind ?? throw new InvalidOperationException("Taxonomy endpoint without a kind.");

    private sealed record KindMetadata(TermKind Kind);

    /// <summary>Serialized as its runtime type (author or tag/section).</summary>
    private static IResult AsItsType(TaxonomyTermDto dto) => Results.Ok((object)dto);
}
