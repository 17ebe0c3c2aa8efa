using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>An article's history, newest first.</summary>
public sealed record ListRevisions(Guid Id, int Limit, string? Cursor) : IQuery<Page<RevisionSummaryDto>>;

public sealed class ListRevisionsValidator : AbstractValidator<ListRevisions>
{
    public ListRevisionsValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1, part: v => int.TryParse(v, out _));
    }
}

public sealed class ListRevisionsHandler(IDaxdiDbContext db) : IQueryHandler<ListRevisions, Page<RevisionSummaryDto>>
{
    public async ValueTask<Page<RevisionSummaryDto>> Handle(ListRevisions query, CancellationToken cancellationToken)
    {
        if (!await db.Articles.AnyAsync(a => a.Id == query.Id, cancellationToken))
        {
            throw ArticleQueries.NotFound(query.Id);
        }

        var revisions = db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == query.Id);
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var last = int.Parse(after[0], System.Globalization.CultureInfo.InvariantCulture);
            revisions = revisions.Where(r => r.Number < last);
        }

        var rows = await revisions.OrderByDescending(r => r.Number).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(query.Limit).Select(RevisionSummaryDto.From).ToList();
        var next = rows.Count > query.Limit
            ? Cursor.Encode(items[^1].Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : null;
        return new Page<RevisionSummaryDto>(items, next);
    }
}
