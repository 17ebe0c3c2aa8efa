using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>One revision of an article, with the full snapshot.</summary>
public sealed record GetRevision(Guid Id, int Number) : IQuery<RevisionDto>;

public sealed class GetRevisionHandler(IDaxdiDbContext db) : IQueryHandler<GetRevision, RevisionDto>
{
    public async ValueTask<RevisionDto> Handle(GetRevision query, CancellationToken cancellationToken)
    {
        var revision = await db.FindRevisionAsync(query.Id, query.Number, cancellationToken);
        var s = revision.Snapshot;
        var c = s.Content;
        var terms = await TermRefs.LoadAsync(db, [.. c.AuthorIds, .. c.TagIds, .. c.SectionId is { } id ? [id] : Array.Empty<Guid>()], cancellationToken);
        return new RevisionDto
        {
            Number = revision.Number, Action = revision.Action, Changes = revision.Changes, Status = s.Status,
            RestoredFrom = revision.RestoredFrom, CreatedBy = revision.CreatedBy, CreatedAt = revision.CreatedAt,
            Article = new RevisionSnapshotDto
            {
                Slug = c.Slug, Title = c.Title, Subtitle = c.Subtitle, Excerpt = c.Excerpt, Body = c.MarkdownSource ?? c.Body,
                BodyFormat = c.BodyFormat, Html = c.Body, Language = c.Language,
                Authors = TermRefs.Pick(terms, c.AuthorIds), Tags = TermRefs.Pick(terms, c.TagIds),
                Section = c.SectionId is { } sid && terms.TryGetValue(sid, out var section) ? section : null,
                FeaturedImage = c.FeaturedImage, Source = c.Source, CanonicalUrl = c.CanonicalUrl, Seo = c.Seo,
                WordCount = c.WordCount, ReadingTimeMinutes = c.ReadingTimeMinutes, Status = s.Status,
                PublishedAt = s.PublishedAt, ScheduledAt = s.ScheduledAt, RecommendationIds = s.RecommendationIds,
            },
        };
    }
}

internal static class RevisionQueries
{
    public static async Task<ArticleRevision> FindRevisionAsync(this IDaxdiDbContext db, Guid articleId, int number, CancellationToken cancellationToken)
    {
        if (!await db.Articles.AnyAsync(a => a.Id == articleId, cancellationToken))
        {
            throw ArticleQueries.NotFound(articleId);
        }

        return await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == articleId && r.Number == number, cancellationToken)
            ?? throw DomainException.NotFound("revision.not_found", $"Article '{articleId}' has no revision {number}.");
    }
}
