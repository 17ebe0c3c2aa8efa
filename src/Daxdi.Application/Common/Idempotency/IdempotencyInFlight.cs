using System.Collections.Concurrent;

namespace Daxdi.Application.Common.Idempotency;

/// <summary>
/// The idempotent requests this node is running, so a repeat that arrives while the first still runs answers 409 at
/// once instead of doing the work twice. Across nodes the key's unique index decides: the second commit fails and its
/// request replays the first's response.
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly ConcurrentDictionary<(string Scope, string Key), byte> _running = new();

    /// <summary>Marks the request as running; null when it already is (the caller answers 409).</summary>
    public IDisposable? TryEnter(IdempotencyRequest request)
    {
        var entry = (request.Scope, request.Key!);
        return _running.TryAdd(entry, 0) ? new Release(_running, entry) : null;
    }

    private sealed class Release(ConcurrentDictionary<(string, string), byte> running, (string, string) entry) : IDisposable
    {
        public void Dispose() => running.TryRemove(entry, out _);
    }
}
