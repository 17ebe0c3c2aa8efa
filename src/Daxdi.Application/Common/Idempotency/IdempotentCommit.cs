using System.Text.Json;
using Daxdi.Application.Abstractions;

namespace Daxdi.Application.Common.Idempotency;

/// <summary>
/// The idempotent request of the command this scope is running, if any: the commit pipeline adds its record, with the
/// handler's response, to the commit of the handler's change.
/// </summary>
public sealed class IdempotentCommit(IDaxdiDbContext db, IResponseProtector protector, TimeProvider clock)
{
    private IdempotencyRequest? _request;

    /// <summary>Whether the response the endpoint is about to answer is a replay of an earlier one.</summary>
    public bool Replayed { get; private set; }

    internal void Begin(IdempotencyRequest request) => _request = request;

    internal void End() => _request = null;

    internal void MarkReplayed() => Replayed = true;

    /// <summary>Adds the key's record, holding <paramref name="response"/>, to the change about to be committed.</summary>
    internal void Record<T>(T response)
    {
        if (_request is { } request)
        {
            Record(request, response);
        }
    }

    /// <summary>Adds the record of <paramref name="request"/>, holding <paramref name="response"/>, to the change about to be committed.</summary>
    public void Record<T>(IdempotencyRequest request, T response)
    {
        var json = JsonSerializer.Serialize(response, ApiJson.Options);
        db.IdempotencyRecords.Add(new IdempotencyRecord(request, protector.Protect(json), clock.UtcNow(), IdempotencyRules.MinimumRetention));
    }

    internal T Read<T>(IdempotencyRecord record) =>
        JsonSerializer.Deserialize<T>(protector.Unprotect(record.ProtectedResponse), ApiJson.Options)
        ?? throw new InvalidOperationException($"The stored response of idempotency key {record.Scope}/{record.Key} is empty.");
}
