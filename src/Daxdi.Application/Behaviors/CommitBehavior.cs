using Daxdi.Application.Common;
using Mediator;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Runs every command through the <see cref="CommitPipeline"/>: its handler and one commit of what it changed, with
/// the events and documents that follow from it, so a command is all-or-nothing; a <see cref="IRetryableCommand"/>
/// that loses a race on a unique index runs again. Queries pass through untouched.
/// </summary>
public sealed class CommitBehavior<TMessage, TResponse>(CommitPipeline pipeline) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        message is IBaseCommand
            ? await pipeline.RunAsync(() => next(message, cancellationToken), message is IRetryableCommand, cancellationToken,
                (message as ISiteLockedCommand)?.SitesToLock.Order().ToList())
            : await next(message, cancellationToken);
}
