namespace Daxdi.Application.Abstractions.Payments;

/// <summary>
/// What the chain says about the addresses of payment intents, read from an Esplora-compatible HTTP API
/// (<c>Bitcoin:Esplora:BaseUrl</c>). Registered only when that is set (see <see cref="ChainSourceStatus"/>).
/// Every field read is checked: an answer that is not what the API documents fails with
/// <see cref="ChainSourceException"/>, as does a server that cannot be reached, so a caller polling many addresses can
/// note the failure and go on with the next one. Thread-safe; a singleton may keep one.
/// </summary>
public interface IChainSource
{
    /// <summary>The height of the chain's best block.</summary>
    /// <exception cref="ChainSourceException">The server failed, did not answer in time, or answered something else than a height.</exception>
    Task<int> GetTipHeightAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every output paying <paramref name="address"/>, confirmed (all pages of the confirmed history) and in the
    /// mempool, ordered by block height (mempool last), then txid and output index. Outputs the address spent are still
    /// listed: a payment is what was received, not what is left.
    /// </summary>
    /// <param name="address">An address of the server's chain, as derived (letters and digits only).</param>
    /// <exception cref="ChainSourceException">The server failed, did not answer in time, or answered something the API does not document.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is empty or has other characters than letters and digits.</exception>
    Task<IReadOnlyList<AddressOutput>> GetAddressOutputsAsync(string address, CancellationToken cancellationToken);
}

/// <summary>One transaction output paying an address.</summary>
/// <param name="TxId">The transaction id, 64 lowercase hex digits.</param>
/// <param name="Vout">The output's index in the transaction.</param>
/// <param name="ValueSats">The amount, in satoshis (0 to 21 000 000 BTC).</param>
/// <param name="BlockHeight">The height of the block that confirmed it; null while it is in the mempool.</param>
public sealed record AddressOutput(string TxId, int Vout, long ValueSats, int? BlockHeight);

/// <summary>Whether a chain source is configured (<c>Bitcoin:Esplora:BaseUrl</c>); without one the chain monitor stays off.</summary>
public sealed record ChainSourceStatus(bool IsConfigured);

/// <summary>
/// The chain source failed: unreachable, an error status, no answer in time (after its retries), or an answer that is not
/// what the Esplora API documents. The message says which, for the log; it never contains a response body.
/// </summary>
public sealed class ChainSourceException(string message, Exception? innerException = null) : Exception(message, innerException);
