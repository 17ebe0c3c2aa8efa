using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>All sites, ordered by key.</summary>
public sealed record ListSites(int Limit, string? Cursor) : IQuery<Page<SiteDto>>;

public sealed class ListSitesValidator : AbstractValidator<ListSites>
{
    public ListSitesValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1);
    }
}

public sealed class ListSitesHandler(IDaxdiDbContext db) : IQueryHandler<ListSites, Page<SiteDto>>
{
    public async ValueTask<Page<SiteDto>> Handle(ListSites query, CancellationToken cancellationToken)
    {
        var sites = db.Sites.AsNoTracking();
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastKey = after[0];
            sites = sites.Where(s => string.Compare(s.Key, lastKey) > 0);
        }

        var rows = await sites.OrderBy(s => s.Key).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(query.Limit).Select(SiteDto.From).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Key) : null;
        return new Page<SiteDto>(items, next);
    }
}
