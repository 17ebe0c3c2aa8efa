using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>A site's payment intents, newest first, by status, exception, purpose, customer and creation time (finance).</summary>
public sealed record ListPaymentIntents(string Site, string? Status, string? Exception, string? Purpose, string? CustomerReference,
    DateTime? From, DateTime? To, int Limit, string? Cursor) : IQuery<Page<PaymentIntentSummary>>;

public sealed class ListPaymentIntentsValidator : AbstractValidator<ListPaymentIntents>
{
    public ListPaymentIntentsValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || EnumNames.Parse<PaymentStatus>(s) is not null)
            .WithMessage("'status' must be one of: requiresPayment, processing, succeeded, expired, canceled, failed.");
        RuleFor(x => x.Exception).Must(s => s is null || EnumNames.Parse<PaymentExceptionStatus>(s) is not null)
            .WithMessage("'exception' must be one of: none, underpaid, overpaid, paidLate, replaced, marked.");
        RuleFor(x => x.Purpose).Must(s => s is null || EnumNames.Parse<PaymentPurpose>(s) is not null)
            .WithMessage("'purpose' must be one of: membership, articleUnlock, donation.");
        RuleFor(x => x.CustomerReference).MaximumLength(PaymentRules.CustomerReferenceMaxLength);
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'to' must not be before 'from'.");
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1).Must(c => c is null || Before(c) is not null)
            .WithMessage("'cursor' is not valid: pass the nextCursor value of a previous page unchanged.");
    }

    /// <summary>The id the next page starts below (ids are time-ordered GUIDs).</summary>
    internal static Guid? Before(string? cursor) =>
        Cursor.TryDecode(cursor, 1, out var values) && Guid.TryParseExact(values[0], "N", out var id) ? id : null;
}

public sealed class ListPaymentIntentsHandler(IDaxdiDbContext db) : IQueryHandler<ListPaymentIntents, Page<PaymentIntentSummary>>
{
    public async ValueTask<Page<PaymentIntentSummary>> Handle(ListPaymentIntents query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var intents = db.PaymentIntents.AsNoTracking().Where(i => i.SiteId == site.Id);
        if (EnumNames.Parse<PaymentStatus>(query.Status) is { } status)
        {
            intents = intents.Where(i => i.Status == status);
        }

        if (EnumNames.Parse<PaymentExceptionStatus>(query.Exception) is { } exception)
        {
            intents = intents.Where(i => i.ExceptionStatus == exception);
        }

        if (EnumNames.Parse<PaymentPurpose>(query.Purpose) is { } purpose)
        {
            intents = intents.Where(i => i.Purpose == purpose);
        }

        if (query.CustomerReference is { } customer)
        {
            intents = intents.Where(i => i.CustomerReference == customer);
        }

        if (query.From is { } from)
        {
            var start = Clock.Normalize(from);
            intents = intents.Where(i => i.CreatedAt >= start);
        }

        if (query.To is { } to)
        {
            var end = Clock.Normalize(to);
            intents = intents.Where(i => i.CreatedAt <= end);
        }

        if (ListPaymentIntentsValidator.Before(query.Cursor) is { } before)
        {
            intents = intents.Where(i => i.Id.CompareTo(before) < 0);
        }

        var page = await intents.OrderByDescending(i => i.Id).Take(query.Limit + 1)
            .Select(i => new PaymentIntentSummary(i.Id, i.Status, i.ExceptionStatus, i.Purpose, i.PlanKey, i.Amount, i.Currency, i.AmountSats,
                i.ReceivedSats, i.Address, i.CustomerReference, i.CreatedAt, i.ExpiresAt, i.CompletedAt))
            .ToListAsync(cancellationToken);
        var items = page.Take(query.Limit).ToList();
        return new Page<PaymentIntentSummary>(items, page.Count > query.Limit ? Cursor.Encode(items[^1].Id.ToString("N")) : null);
    }
}
