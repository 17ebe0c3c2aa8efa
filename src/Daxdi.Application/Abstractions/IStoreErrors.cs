namespace Daxdi.Application.Abstractions;

/// <summary>Store errors that use cases react to; the provider-specific codes behind them live in Infrastructure.</summary>
public interface IStoreErrors
{
    /// <summary>A unique index refused the write: another request saved the same key (slug, term) first.</summary>
    bool IsUniqueViolation(Exception exception);
}
