using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ApiKeys;

/// <summary>API keys, newest first, revoked ones included (they show <c>revokedAt</c>).</summary>
public sealed record ListApiKeys(int Limit, string? Cursor) : IQuery<Page<ApiKeyDto>>;

public sealed class ListApiKeysValidator : AbstractValidator<ListApiKeys>
{
    public ListApiKeysValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1, part: v => Guid.TryParse(v, out _));
    }
}

public sealed class ListApiKeysHandler(IDaxdiDbContext db) : IQueryHandler<ListApiKeys, Page<ApiKeyDto>>
{
    public async ValueTask<Page<ApiKeyDto>> Handle(ListApiKeys query, CancellationToken cancellationToken)
    {
        var keys = db.ApiKeys.AsNoTracking();
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastId = Guid.Parse(after[0]);
            keys = keys.Where(k => k.Id.CompareTo(lastId) < 0);
        }

        var rows = await ApiKeyDto.Project(keys.OrderByDescending(k => k.Id).Take(query.Limit + 1), db).ToListAsync(cancellationToken);
        var items = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Id.ToString()) : null;
        return new Page<ApiKeyDto>(items, next);
    }
}
