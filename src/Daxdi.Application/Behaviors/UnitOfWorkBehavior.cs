using Daxdi.Application.Common;
using Mediator;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Commits once after a command's handler succeeds (<see cref="UnitOfWork"/>), so a command is all-or-nothing and
/// the public documents and cache follow it. Queries pass through untouched.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(UnitOfWork unitOfWork) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is IBaseCommand)
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }

        return response;
    }
}
