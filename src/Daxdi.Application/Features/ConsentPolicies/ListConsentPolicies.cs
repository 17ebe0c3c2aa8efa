using System.Globalization;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>A site's policy versions, newest (highest number) first, without their content.</summary>
public sealed record ListConsentPolicies(string Site, int Limit, string? Cursor) : IQuery<Page<ConsentPolicySummary>>;

public sealed class ListConsentPoliciesValidator : AbstractValidator<ListConsentPolicies>
{
    public ListConsentPoliciesValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1, part: v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }
}

public sealed class ListConsentPoliciesHandler(IDaxdiDbContext db) : IQueryHandler<ListConsentPolicies, Page<ConsentPolicySummary>>
{
    public async ValueTask<Page<ConsentPolicySummary>> Handle(ListConsentPolicies query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var policies = db.ConsentPolicies.AsNoTracking().Where(p => p.SiteId == site.Id);
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastNumber = int.Parse(after[0], NumberStyles.None, CultureInfo.InvariantCulture);
            policies = policies.Where(p => p.Number < lastNumber);
        }

        // The index (SiteId, Number) answers the page without reading the content column.
        var items = await policies.OrderByDescending(p => p.Number).Take(query.Limit + 1)
            .Select(p => new ConsentPolicySummary
            {
                Id = p.Id, Number = p.Number, Status = p.Status, ContentHash = p.ContentHash, PublishedAt = p.PublishedAt,
                RenewsConsent = p.RenewsConsent, Version = p.Version, CreatedAt = p.CreatedAt, UpdatedAt = p.UpdatedAt,
            })
            .ToListAsync(cancellationToken);
        var page = items.Take(query.Limit).ToList();
        var next = items.Count > query.Limit ? Cursor.Encode(page[^1].Number.ToString(CultureInfo.InvariantCulture)) : null;
        return new Page<ConsentPolicySummary>(page, next);
    }
}
