using Daxdi.Application.Common;
using Mediator;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Commits once after a command's handler succeeds (<see cref="UnitOfWork"/>), so a command is all-or-nothing and
/// the public documents and cache follow it; a <see cref="IRetryableCommand"/> that loses a race on a unique index
/// runs again. Queries pass through untouched.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(UnitOfWork unitOfWork) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        message is IBaseCommand
            ? await unitOfWork.RunAsync(() => next(message, cancellationToken), message is IRetryableCommand, cancellationToken)
            : await next(message, cancellationToken);
}
