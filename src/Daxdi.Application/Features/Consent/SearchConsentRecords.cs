using System.Globalization;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Consent;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>A site's consent records, newest first, by subject, decision, policy version and time.</summary>
/// <param name="Decision">A decision name (<c>acceptAll</c>, <c>rejectAll</c>, <c>custom</c>, <c>implied</c>, <c>withdraw</c>), or null for all.</param>
public sealed record SearchConsentRecords(string Site, string? SubjectId, string? Decision, int? PolicyVersion,
    DateTime? From, DateTime? To, int Limit, string? Cursor) : IQuery<Page<ConsentRecordDto>>;

public sealed class SearchConsentRecordsValidator : AbstractValidator<SearchConsentRecords>
{
    public SearchConsentRecordsValidator()
    {
        RuleFor(x => x.SubjectId).MaximumLength(ConsentRules.SubjectIdMaxLength);
        RuleFor(x => x.Decision).Must(d => d is null || EnumNames.Parse<ConsentDecisionKind>(d) is not null)
            .WithMessage("'decision' must be one of: acceptAll, rejectAll, custom, implied, withdraw.");
        RuleFor(x => x.PolicyVersion).GreaterThan(0).When(x => x.PolicyVersion is not null);
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'to' must not be before 'from'.");
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1).Must(c => c is null || Before(c) is not null)
            .WithMessage("'cursor' is not valid: pass the nextCursor value of a previous page unchanged.");
    }

    /// <summary>The sequence the next page starts below.</summary>
    internal static long? Before(string? cursor) =>
        Cursor.TryDecode(cursor, 1, out var values) && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}

public sealed class SearchConsentRecordsHandler(IDaxdiDbContext db) : IQueryHandler<SearchConsentRecords, Page<ConsentRecordDto>>
{
    public async ValueTask<Page<ConsentRecordDto>> Handle(SearchConsentRecords query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var records = db.ConsentRecords.AsNoTracking().Where(r => r.SiteId == site.Id);
        if (query.SubjectId is { } subject)
        {
            records = records.Where(r => r.SubjectId == subject);
        }

        if (EnumNames.Parse<ConsentDecisionKind>(query.Decision) is { } decision)
        {
            records = records.Where(r => r.Decision == decision);
        }

        if (query.PolicyVersion is { } version)
        {
            records = records.Where(r => r.PolicyVersion == version);
        }

        if (query.From is { } from)
        {
            var start = Clock.Normalize(from);
            records = records.Where(r => r.CreatedAt >= start);
        }

        if (query.To is { } to)
        {
            var end = Clock.Normalize(to);
            records = records.Where(r => r.CreatedAt <= end);
        }

        // The chain's order is the time order: newest first along the (site, sequence) index.
        if (SearchConsentRecordsValidator.Before(query.Cursor) is { } before)
        {
            records = records.Where(r => r.Sequence < before);
        }

        var page = await records.OrderByDescending(r => r.Sequence).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(query.Limit).Select(ConsentRecordDto.Of).ToList();
        return new Page<ConsentRecordDto>(items,
            page.Count > query.Limit ? Cursor.Encode(items[^1].Sequence.ToString(CultureInfo.InvariantCulture)) : null);
    }
}
