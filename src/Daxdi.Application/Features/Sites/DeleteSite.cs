using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Sites;

/// <summary>Delete a site. <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.</summary>
public sealed record DeleteSite(string Key, int? ExpectedVersion) : ICommand;

public sealed class DeleteSiteHandler(IDaxdiDbContext db) : ICommandHandler<DeleteSite>
{
    public async ValueTask<Unit> Handle(DeleteSite command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.GetByKeyAsync(command.Key, cancellationToken);
        site.EnsureVersion(command.ExpectedVersion);
        db.Sites.Remove(site);
        return Unit.Value;
    }
}
