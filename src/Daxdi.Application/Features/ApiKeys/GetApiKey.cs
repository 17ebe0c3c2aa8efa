using Daxdi.Application.Abstractions;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ApiKeys;

/// <summary>Read one API key (never its secret).</summary>
public sealed record GetApiKey(Guid Id) : IQuery<ApiKeyDto>;

public sealed class GetApiKeyHandler(IDaxdiDbContext db) : IQueryHandler<GetApiKey, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(GetApiKey query, CancellationToken cancellationToken)
    {
        return await ApiKeyDto.Project(db.ApiKeys.AsNoTracking().Where(k => k.Id == query.Id), db).FirstOrDefaultAsync(cancellationToken)
            ?? throw ApiKeyErrors.NotFound(query.Id);
    }
}

internal static class ApiKeyErrors
{
    public static DomainException NotFound(Guid id) => DomainException.NotFound("api_key.not_found", $"No API key with id '{id}'.");
}
