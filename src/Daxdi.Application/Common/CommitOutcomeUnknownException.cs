namespace Daxdi.Application.Common;

/// <summary>
/// The connection to the store broke while a transaction's COMMIT was in flight: the store may have made it durable
/// and lost only the answer, or not. Nothing may run the command again on its own (it would save it twice), and the
/// client may not be told that nothing was saved.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("The store stopped answering while the commit was in flight; it may or may not have been saved.", inner);
