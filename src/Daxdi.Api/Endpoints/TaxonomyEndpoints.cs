using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Taxonomy;
using Daxdi.Domain.Security;
using Daxdi.Domain.Taxonomy;
using Mediator;

namespace Daxdi.Api.Endpoints;

/// <summary>
/// Admin: the authors, tags and sections of a site. The three share one shape, so one mapping serves them;
/// editors change them, authors may read them. Only the request bodies differ (authors have a bio and avatar).
/// </summary>
public static class TaxonomyEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        MapKind(admin, TermKind.Author, "authors", typeof(AuthorDto),
            "Author profiles: name, slug, bio and avatar. An API key with the author role is bound to one by slug.",
            (string site, AuthorFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                CreateAsync(site, TermKind.Author, body, sender, http, ct),
            (string site, string slug, AuthorFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                UpdateAsync(site, TermKind.Author, slug, body, sender, http, ct));
        MapKind(admin, TermKind.Tag, "tags", typeof(TermDto),
            "Tags are also created on first use when an article names one that does not exist.",
            (string site, TermFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                CreateAsync(site, TermKind.Tag, body, sender, http, ct),
            (string site, string slug, TermFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                UpdateAsync(site, TermKind.Tag, slug, body, sender, http, ct));
        MapKind(admin, TermKind.Section, "sections", typeof(TermDto),
            "Each article belongs to at most one section (news, sport, opinion…).",
            (string site, TermFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                CreateAsync(site, TermKind.Section, body, sender, http, ct),
            (string site, string slug, TermFields body, ISender sender, HttpContext http, CancellationToken ct) =>
                UpdateAsync(site, TermKind.Section, slug, body, sender, http, ct));
    }

    private static void MapKind(RouteGroupBuilder admin, TermKind kind, string path, Type dtoType, string about,
        Delegate create, Delegate update)
    {
        var singular = kind.ToString();
        var noun = singular.ToLowerInvariant();
        var aNoun = (kind == TermKind.Author ? "an " : "a ") + noun;
        var group = admin.MapGroup($"/sites/{{site}}/{path}").WithTags($"{singular}s");
        var pageType = typeof(Page<>).MakeGenericType(dtoType);

        group.MapPost("", create)
            .WithName($"create{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Create {aNoun}.")
            .WithDescription($"{about} The slug is generated from the name when omitted. 409 `{noun}.slug_taken` if the slug is in use.")
            .Produces(StatusCodes.Status201Created, dtoType)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("", async (string site, ISender sender, CancellationToken ct, int? limit = null, string? cursor = null) =>
            {
                var page = await sender.Send(new ListTerms(site, kind, limit ?? ListLimits.DefaultLimit, cursor), ct);
                return Results.Ok(new Page<object>([.. page.Items], page.NextCursor)); // items as their runtime type
            })
            .WithName($"list{singular}s").RequireRoles(ApiRole.Editor, ApiRole.Author)
            .WithSummary($"List the site's {noun}s, ordered by slug.")
            .WithDescription("Keyset pagination: `limit` 1–100 (default 20); pass `nextCursor` back as `cursor` until it is null.")
            .Produces(StatusCodes.Status200OK, pageType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{slug}", async (string site, string slug, ISender sender, HttpContext http, CancellationToken ct) =>
                WithETag(http, await sender.Send(new GetTerm(site, kind, slug), ct)))
            .WithName($"get{singular}").RequireRoles(ApiRole.Editor, ApiRole.Author)
            .WithSummary($"Read {aNoun}.")
            .WithDescription("The `ETag` header carries the version to send as `If-Match` when updating or deleting.")
            .Produces(StatusCodes.Status200OK, dtoType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{slug}", update)
            .WithName($"update{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Replace {aNoun}.")
            .WithDescription("Renames and new slugs apply to every article at once (articles refer to it by id). `slug: null` keeps the slug. Optional `If-Match` (412 if stale).")
            .Produces(StatusCodes.Status200OK, dtoType)
            .AcceptsIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{slug}", async (string site, string slug, ISender sender, HttpContext http, CancellationToken ct, bool force = false) =>
            {
                await sender.Send(new DeleteTerm(site, kind, slug, ETags.ExpectedVersion(http.Request), force), ct);
                return Results.NoContent();
            })
            .WithName($"delete{singular}").RequireRoles(ApiRole.Editor)
            .WithSummary($"Delete {aNoun}.")
            .WithDescription($"Refused with 409 `{noun}.in_use` while articles use it, unless `?force=true`, which detaches it from them (each gets a new version). Optional `If-Match`.")
            .Produces(StatusCodes.Status204NoContent)
            .AcceptsIfMatch()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CreateAsync(string site, TermKind kind, TaxonomyFields body, ISender sender, HttpContext http, CancellationToken ct)
    {
        var dto = await sender.Send(new CreateTerm(site, kind, body), ct);
        http.Response.Headers.ETag = ETags.For(dto.Version);
        return Results.Created(http.Request.Path.Add($"/{dto.Slug}"), (object)dto);
    }

    private static async Task<IResult> UpdateAsync(string site, TermKind kind, string slug, TaxonomyFields body, ISender sender, HttpContext http, CancellationToken ct) =>
        WithETag(http, await sender.Send(new UpdateTerm(site, kind, slug, ETags.ExpectedVersion(http.Request), body), ct));

    /// <summary>Serialized as its runtime type (author or tag/section), with the version as ETag.</summary>
    private static IResult WithETag(HttpContext http, TaxonomyTermDto dto)
    {
        http.Response.Headers.ETag = ETags.For(dto.Version);
        return Results.Ok((object)dto);
    }
}
