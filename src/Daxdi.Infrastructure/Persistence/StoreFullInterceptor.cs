using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>Tells <see cref="StoreWriteHealth"/> when a statement or a commit fails for lack of space, whoever wrote.</summary>
internal sealed class StoreFullInterceptor(StoreWriteHealth health) : IDbCommandInterceptor, IDbTransactionInterceptor
{
    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Note(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Note(eventData.Exception);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Note(eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Note(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Note(Exception exception)
    {
        if (StoreErrors.IsFull(exception))
        {
            health.Failed(exception);
        }
    }
}
