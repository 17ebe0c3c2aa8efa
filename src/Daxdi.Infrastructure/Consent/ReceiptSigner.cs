using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.ConsentReceipts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Consent;

/// <summary>
/// Signs receipts as compact JWS with ES256, from the base class library alone: <see cref="ECDsa"/> on P-256 with the
/// signature in IEEE P1363 form (r‖s, 64 bytes, as RFC 7518 §3.4 requires) and <see cref="Base64Url"/> for the
/// serialization. A JOSE library (<c>Microsoft.IdentityModel.JsonWebTokens</c>) would add a dependency and serialize the
/// payload itself, while a receipt must carry the caller's bytes exactly; compact JWS is three base64url parts and one
/// ECDSA call.
/// </summary>
/// <remarks>
/// The active key stays in memory, its private half decrypted once per load. It is re-read from the store every
/// <see cref="ReceiptKeyOptions.SigningKeyRefreshSeconds"/> (a rotation on another node) and at once after a rotation
/// committed on this node (<see cref="ReceiptKeyCacheParticipant"/>). Store reads and the first key's creation run in a
/// scope of their own, never in the caller's: a handler that signs keeps its own change tracker and commit. Nothing
/// here logs key material; the log names a key by its id only.
/// </remarks>
internal sealed partial class ReceiptSigner(
    IServiceScopeFactory scopes, ReceiptKeyProtector protector, TimeProvider clock, IOptions<ReceiptKeyOptions> options,
    ILogger<ReceiptSigner> logger) : IConsentReceiptSigner, IDisposable
{
    /// <summary>The JWS <c>typ</c>: explicit typing (RFC 8725 §3.11), so a receipt is never taken for another token.</summary>
    public const string Type = "daxdi-consent-receipt+jwt";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TimeSpan _refresh = TimeSpan.FromSeconds(options.Value.SigningKeyRefreshSeconds);
    private volatile ActiveKey? _active;
    private int _generation;

    public async ValueTask<string> SignAsync(ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken)
    {
        EnsureJson(payloadJson.Span);
        var key = _active is { } current && IsFresh(current) ? current : await RefreshAsync(cancellationToken);
        return key.Sign(payloadJson.Span);
    }

    public async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_active is null)
        {
            await LoadAsync(cancellationToken);
        }
    }

    public async ValueTask<ReceiptKeySet> PublicKeysAsync(CancellationToken cancellationToken)
    {
        // Read from the store on every call, not from this node's cache: a key another node has just begun to sign with
        // is published by every node as soon as it is committed.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
        var jwks = await db.ReceiptSigningKeys.AsNoTracking().NewestFirst().Select(k => k.PublicJwk).ToListAsync(cancellationToken);
        return ReceiptKeys.Set(jwks);
    }

    /// <summary>The next signature re-reads the active key (a key was committed on this node).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public void Dispose()
    {
        _loading.Dispose();
        _active?.Dispose();
    }

    private bool IsFresh(ActiveKey key) =>
        key.Generation == Volatile.Read(ref _generation) && clock.GetElapsedTime(key.LoadedAt) < _refresh;

    /// <summary>
    /// The active key re-read from the store; the key held so far when that read fails. A receipt is signed after its
    /// record is committed, and a signature from a key retired moments ago still verifies (the JWKS keeps it), while an
    /// error would answer a failure for a decision that is stored.
    /// </summary>
    private async Task<ActiveKey> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await LoadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && _active is { } held)
        {
            LogRefreshFailed(e, held.KeyId);
            return held;
        }
    }

    private async Task<ActiveKey> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_active is { } current && IsFresh(current))
            {
                return current;
            }

            // Read before the store: an invalidation during the read makes the next signature read again.
            var generation = Volatile.Read(ref _generation);
            var loadedAt = clock.GetTimestamp();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
            var row = await ActiveRowAsync(db, cancellationToken);
            if (row is null)
            {
                var created = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EnsureReceiptSigningKey(), cancellationToken);
                row = await ActiveRowAsync(db, cancellationToken)
                    ?? throw new InvalidOperationException($"The receipt key {created} was committed but is not active.");
            }

            var previous = _active;
            ActiveKey next;
            if (previous is not null && previous.KeyId == row.KeyId)
            {
                next = previous.Renewed(generation, loadedAt);
            }
            else
            {
                next = new ActiveKey(row.KeyId, Import(row.KeyId, row.ProtectedPrivateKey), generation, loadedAt);
                LogSigningWith(row.KeyId);
            }

            _active = next;
            return next;
        }
        finally
        {
            _loading.Release();
        }
    }

    private static Task<ActiveRow?> ActiveRowAsync(IDaxdiDbContext db, CancellationToken cancellationToken) =>
        db.ReceiptSigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).NewestFirst()
            .Select(k => new ActiveRow(k.KeyId, k.ProtectedPrivateKey)).FirstOrDefaultAsync(cancellationToken);

    private KeyHolder Import(string keyId, string protectedKey)
    {
        byte[] pkcs8;
        try
        {
            pkcs8 = protector.Unprotect(protectedKey);
        }
        catch (CryptographicException e)
        {
            LogUndecryptable(keyId, e.GetType().Name);
            throw new InvalidOperationException(
                $"The receipt signing key {keyId} cannot be decrypted with this node's Data Protection key ring " +
                "(Consent:KeyRingPath): every node must share the ring folder. If the ring is lost, rotate the receipt key " +
                "(POST /api/v1/admin/consent-signing-keys/rotate); earlier receipts keep verifying.");
        }

        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new KeyHolder(ecdsa);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>One well-formed JSON value, so nothing else is ever signed as a receipt.</summary>
    private static void EnsureJson(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new ArgumentException("A receipt payload is required.", nameof(payload));
        }

        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            throw new ArgumentException("A receipt payload must be one well-formed UTF-8 JSON value.", nameof(payload));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent receipts are signed with key {KeyId}")]
    private partial void LogSigningWith(string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-reading the receipt signing key failed; signing with {KeyId} until a read succeeds")]
    private partial void LogRefreshFailed(Exception exception, string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The receipt signing key {KeyId} cannot be decrypted ({Error}): is Consent:KeyRingPath the folder every node shares?")]
    private partial void LogUndecryptable(string keyId, string error);

    private sealed record ActiveRow(string KeyId, string ProtectedPrivateKey);

    /// <summary>The ECDSA object of a key, shared by the loads that find the same key still active.</summary>
    private sealed class KeyHolder(ECDsa ecdsa) : IDisposable
    {
        public ECDsa Ecdsa { get; } = ecdsa;

        public void Dispose() => Ecdsa.Dispose();
    }

    /// <summary>The key that signs, with its header already encoded.</summary>
    private sealed class ActiveKey : IDisposable
    {
        private readonly KeyHolder _holder;
        private readonly byte[] _encodedHeader;

        public ActiveKey(string keyId, KeyHolder holder, int generation, long loadedAt)
        {
            KeyId = keyId;
            _holder = holder;
            Generation = generation;
            LoadedAt = loadedAt;
            var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["alg"] = ReceiptKeys.Algorithm, ["kid"] = keyId, ["typ"] = Type,
            });
            _encodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(header));
        }

        private ActiveKey(ActiveKey key, int generation, long loadedAt)
        {
            KeyId = key.KeyId;
            _holder = key._holder;
            _encodedHeader = key._encodedHeader;
            Generation = generation;
            LoadedAt = loadedAt;
        }

        public string KeyId { get; }

        public int Generation { get; }

        public long LoadedAt { get; }

        public ActiveKey Renewed(int generation, long loadedAt) => new(this, generation, loadedAt);

        public string Sign(ReadOnlySpan<byte> payload)
        {
            // The signing input is ASCII(BASE64URL(header) "." BASE64URL(payload)), RFC 7515 §5.1.
            var input = new byte[_encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.Length)];
            _encodedHeader.CopyTo(input, 0);
            input[_encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, input.AsSpan(_encodedHeader.Length + 1));
            byte[] signature;
            // Instance members of ECDsa are not documented as thread-safe; a signature takes tens of microseconds.
            lock (_holder)
            {
                signature = _holder.Ecdsa.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            return string.Create(input.Length + 1 + Base64Url.GetEncodedLength(signature.Length), (input, signature), static (chars, state) =>
            {
                Encoding.ASCII.GetChars(state.input, chars);
                chars[state.input.Length] = '.';
                Base64Url.EncodeToChars(state.signature, chars[(state.input.Length + 1)..]);
            });
        }

        /// <summary>Not disposed on replacement: a signature may still be under way with it.</summary>
        public void Dispose() => _holder.Dispose();
    }
}
