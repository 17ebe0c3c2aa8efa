using Mediator;

namespace Daxdi.Application.Common;

/// <summary>
/// A command whose handler reads what it then extends (the heads of consent chains), so it runs from its first read
/// in a transaction that holds its sites' locks (on SQLite, the store's write lock): no concurrent writer can read the
/// same head and fork a chain, and none has to lose a race and run again.
/// </summary>
public interface ISiteLockedCommand : IBaseCommand
{
    /// <summary>The sites whose locks the handler needs.</summary>
    IReadOnlyCollection<Guid> SitesToLock { get; }
}
