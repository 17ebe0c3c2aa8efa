using System.Security.Cryptography;
using System.Text.Json;
using Mediator;

namespace Daxdi.Application.Common.Idempotency;

/// <summary>
/// A command a client may send again safely with the same <c>Idempotency-Key</c> (IETF draft-ietf-httpapi-idempotency-key-header):
/// <see cref="Behaviors.IdempotencyBehavior{TMessage,TResponse}"/> answers a repeat with the first response, refuses the key with
/// another body, and answers 409 while the first is still running. The key's record commits in the transaction of the
/// command's own change, so a response is replayed exactly when its change is stored.
/// </summary>
/// <remarks>
/// Declared by a command, not by its endpoint: any use case becomes idempotent by implementing this interface, and the
/// endpoint passes the header's value through. The response must round-trip through JSON (records with init properties).
/// A mediator command's record is added by the commit pipeline; a request whose change is group-committed
/// (<see cref="GroupCommit{TItem,TResult}"/>) hands its <see cref="Idempotency"/> to the batch, which adds the record
/// with <see cref="IdempotentCommit.Record{T}(IdempotencyRequest, T)"/> to the batch's commit.
/// </remarks>
public interface IIdempotentCommand : IMessage
{
    IdempotencyRequest Idempotency { get; }
}

/// <summary>What identifies a request for idempotency: the key, where it applies, and a fingerprint of its content.</summary>
/// <param name="Scope">What the key is unique within: the operation and its resource, e.g. <c>payment-intents:{site}</c>.</param>
/// <param name="Key">The client's <c>Idempotency-Key</c> header; null or blank when absent (refused).</param>
/// <param name="Fingerprint">SHA-256 of the request's content as bound (the same values give the same fingerprint).</param>
public sealed record IdempotencyRequest(string Scope, string? Key, string Fingerprint)
{
    /// <summary>A request's identity from its scope, key and the body as the endpoint bound it.</summary>
    public static IdempotencyRequest Of(string scope, string? key, object body) =>
        new(scope, key, Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ApiJson.Options))));
}
