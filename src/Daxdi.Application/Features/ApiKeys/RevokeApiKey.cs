using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ApiKeys;

/// <summary>Revoke an API key. It stops authenticating at once; the row stays for audit.</summary>
public sealed record RevokeApiKey(Guid Id) : ICommand;

public sealed class RevokeApiKeyHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<RevokeApiKey>
{
    public async ValueTask<Unit> Handle(RevokeApiKey command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == command.Id, cancellationToken)
            ?? throw ApiKeyErrors.NotFound(command.Id);
        key.Revoke(clock.UtcNow());
        return Unit.Value;
    }
}
