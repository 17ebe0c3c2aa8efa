namespace Daxdi.Application.Abstractions;

/// <summary>Store errors that use cases react to; the provider-specific codes behind them live in Infrastructure.</summary>
public interface IStoreErrors
{
    /// <summary>A unique index refused the write: another request saved the same key (slug, term) first.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// The commit failed in a way that leaves its outcome unknown: the connection to a database server broke while
    /// COMMIT was in flight. False for SQLite, whose commit runs in the process and either happens or rolls back.
    /// </summary>
    bool LeavesCommitUnknown(Exception exception);
}
