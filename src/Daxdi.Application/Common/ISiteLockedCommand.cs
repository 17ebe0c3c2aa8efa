using Mediator;

namespace Daxdi.Application.Common;

/// <summary>
/// A command whose handler reads what it then extends (the head of a site's consent chain), so it runs from its first
/// read in a transaction that holds its site's lock (on SQLite, the store's write lock): no concurrent writer can read
/// the same head and fork the chain, and none has to lose a race and run again.
/// </summary>
public interface ISiteLockedCommand : IBaseCommand
{
    /// <summary>The key of the site whose lock the handler needs.</summary>
    string Site { get; }
}
