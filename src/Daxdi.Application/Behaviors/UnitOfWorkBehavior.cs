using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Saves the store once after a command's handler succeeds, so a command is all-or-nothing, then evicts the public
/// responses the command changed. Queries pass through untouched.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(IDaxdiDbContext db, IPublicCache cache) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is IBaseCommand)
        {
            PublicChanges.Note(db.ChangeTracker, cache);
            await db.SaveChangesAsync(cancellationToken);
            await cache.FlushAsync(cancellationToken);
        }

        return response;
    }
}
