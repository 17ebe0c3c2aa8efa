using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Runs every command through the <see cref="CommitPipeline"/>: its handler and one commit of what it changed, with
/// the events and documents that follow from it, so a command is all-or-nothing; a <see cref="IRetryableCommand"/>
/// that loses a race on a unique index runs again. Queries pass through untouched.
/// </summary>
public sealed class CommitBehavior<TMessage, TResponse>(CommitPipeline pipeline, ISiteDirectory sites) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        // An unknown site is the handler's to refuse (404), without a lock.
        var locked = message is ISiteLockedCommand command && await sites.FindAsync(command.Site, cancellationToken) is { } site
            ? new[] { site.Id }
            : null;
        return await pipeline.RunAsync(() => next(message, cancellationToken), message is IRetryableCommand, cancellationToken, locked);
    }
}
