using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.ConsentReceipts;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Consent;

/// <summary>
/// Consent receipts signed as compact JWS (ES256) by the host's signer, verified the way an auditor would: with the
/// JWKS fetched anonymously over HTTP and an ECDSA check written here, not with the code under test. Rotation is over
/// HTTP. Tests assert what holds before and after their own actions, never which key number is active, so their
/// order does not matter.
/// </summary>
public abstract class ReceiptSigningTests(ApiFactory api)
{
    private const string Jwks = "/api/v1/consent/jwks.json";
    private const string Rotate = "/api/v1/admin/consent-signing-keys/rotate";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_receipt_verifies_with_the_anonymous_JWKS_and_carries_the_payload_bytes_as_given()
    {
        // Odd spacing, key order and escapes: the payload is signed as sent, never re-serialized.
        var payload = "{ \"consentId\":\"c-1\",  \"categories\":[\"technical\"],\"note\":\"caf\\u00e9 ✓\" }"u8.ToArray();

        var jws = await SignAsync(payload);
        var parts = jws.Split('.');

        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Decode(parts[0])).RootElement;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("daxdi-consent-receipt+jwt", header.GetProperty("typ").GetString());
        var kid = header.GetProperty("kid").GetString();
        Assert.False(string.IsNullOrEmpty(kid));
        Assert.Equal(payload, Decode(parts[1]));
        Assert.Equal(64, Decode(parts[2]).Length);
        Assert.DoesNotContain('=', jws);

        var response = await api.Client().GetAsync(Jwks, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        var set = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = Key(set, kid!);
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.True(Verifies(jws, set));
    }

    [Fact]
    public async Task Rotation_retires_the_key_receipts_signed_before_it_still_verify_and_new_ones_carry_the_new_kid()
    {
        var compliance = await api.CreateKeyAsync("compliance");
        var before = await SignAsync("{\"consentId\":\"before\"}"u8.ToArray());
        var oldKid = Kid(before);

        var response = await api.Client(compliance).PostAsync(Rotate, null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var rotation = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var newKid = rotation.GetProperty("kid").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        Assert.Equal([oldKid], rotation.GetProperty("retired").EnumerateArray().Select(k => k.GetString()));
        var answered = rotation.GetProperty("jwks");
        Assert.Equal(newKid, answered.GetProperty("keys")[0].GetProperty("kid").GetString());
        Key(answered, oldKid);

        var after = await SignAsync("{\"consentId\":\"after\"}"u8.ToArray());
        Assert.Equal(newKid, Kid(after));

        var published = await api.Client().GetFromJsonAsync<JsonElement>(Jwks, Ct);
        Assert.Equal(answered.GetRawText(), published.GetRawText());
        Assert.True(Verifies(before, published));
        Assert.True(Verifies(after, published));

        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
        var keys = await db.ReceiptSigningKeys.AsNoTracking().ToListAsync(Ct);
        Assert.NotNull(keys.Single(k => k.KeyId == oldKid).RetiredAt);
        Assert.Equal(newKid, Assert.Single(keys, k => k.RetiredAt is null).KeyId);
    }

    [Fact]
    public async Task A_tampered_payload_header_or_signature_fails_verification()
    {
        var jws = await SignAsync("{\"consentId\":\"c-2\",\"categories\":[\"technical\"]}"u8.ToArray());
        var set = await api.Client().GetFromJsonAsync<JsonElement>(Jwks, Ct);
        Assert.True(Verifies(jws, set));
        var parts = jws.Split('.');

        var forgedPayload = Encode("{\"consentId\":\"c-2\",\"categories\":[\"technical\",\"profiling\"]}"u8.ToArray());
        Assert.False(Verifies($"{parts[0]}.{forgedPayload}.{parts[2]}", set));

        var header = JsonDocument.Parse(Decode(parts[0])).RootElement;
        var otherKid = set.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())
            .FirstOrDefault(k => k != header.GetProperty("kid").GetString());
        if (otherKid is not null)
        {
            var forgedHeader = Encode(Encoding.UTF8.GetBytes($"{{\"alg\":\"ES256\",\"kid\":\"{otherKid}\",\"typ\":\"daxdi-consent-receipt+jwt\"}}"));
            Assert.False(Verifies($"{forgedHeader}.{parts[1]}.{parts[2]}", set));
        }

        var signature = Decode(parts[2]);
        signature[10] ^= 0x01;
        Assert.False(Verifies($"{parts[0]}.{parts[1]}.{Encode(signature)}", set));
    }

    [Fact]
    public async Task The_private_key_is_never_published_logged_or_stored_in_plaintext()
    {
        var compliance = await api.CreateKeyAsync("compliance");
        await SignAsync("{\"consentId\":\"c-3\"}"u8.ToArray());
        var rotationText = await (await api.Client(compliance).PostAsync(Rotate, null, Ct)).Content.ReadAsStringAsync(Ct);
        var jwksText = await api.Client().GetStringAsync(Jwks, Ct);
        var jws = await SignAsync("{\"consentId\":\"c-4\"}"u8.ToArray());

        foreach (var key in JsonDocument.Parse(jwksText).RootElement.GetProperty("keys").EnumerateArray())
        {
            Assert.Equal(["kty", "crv", "x", "y", "kid", "alg", "use"], key.EnumerateObject().Select(p => p.Name));
        }

        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDaxdiDbContext>();
        var rows = await db.ReceiptSigningKeys.AsNoTracking().ToListAsync(Ct);
        var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Daxdi.ConsentReceiptKeys.v1");
        var logs = string.Join('\n', api.Logs.Select(l => l.Text));
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            // What the row holds decrypts, with the host's key ring, to the private half of the published key.
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(Decode(row.ProtectedPrivateKey)), out _);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
            var published = JsonDocument.Parse(row.PublicJwk).RootElement;
            Assert.Equal(Encode(parameters.Q.X!), published.GetProperty("x").GetString());
            Assert.Equal(Encode(parameters.Q.Y!), published.GetProperty("y").GetString());

            var d = parameters.D!;
            foreach (var form in new[] { Encode(d), Convert.ToBase64String(d), Convert.ToHexString(d), Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()) })
            {
                Assert.DoesNotContain(form, row.ProtectedPrivateKey, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, row.PublicJwk, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, jwksText, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, rotationText, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, jws, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, logs, StringComparison.OrdinalIgnoreCase);
            }

            Assert.DoesNotContain(row.ProtectedPrivateKey, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rotate_is_403_for_an_editor_and_401_without_a_key_and_rotates_nothing()
    {
        var editor = await api.CreateKeyAsync("editor");
        var before = await api.Client().GetStringAsync(Jwks, Ct);

        await Problem.AssertAsync(await api.Client(editor).PostAsync(Rotate, null, Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await api.Client().PostAsync(Rotate, null, Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");

        Assert.Equal(before, await api.Client().GetStringAsync(Jwks, Ct));
    }

    [Fact]
    public async Task The_JWKS_answers_304_to_its_ETag_and_any_origin_may_read_it()
    {
        await SignAsync("{\"consentId\":\"c-5\"}"u8.ToArray());
        var first = await api.Client().GetAsync(Jwks, Ct);
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Jwks);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await api.Client().SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal("public, max-age=300", notModified.Headers.CacheControl?.ToString());

        using var fromBrowser = new HttpRequestMessage(HttpMethod.Get, Jwks);
        fromBrowser.Headers.Add("Origin", "https://auditor.example");
        var cors = await api.Client().SendAsync(fromBrowser, Ct);
        Assert.Equal(HttpStatusCode.OK, cors.StatusCode);
        Assert.Equal("*", Assert.Single(cors.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task The_signer_refuses_a_payload_that_is_not_JSON()
    {
        var signer = api.Services.GetRequiredService<IConsentReceiptSigner>();

        await Assert.ThrowsAsync<ArgumentException>(async () => await signer.SignAsync("{\"consentId\":"u8.ToArray(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await signer.SignAsync(ReadOnlyMemory<byte>.Empty, Ct));
    }

    [Fact]
    public async Task Racing_first_signatures_on_a_new_store_create_one_key()
    {
        Assert.SkipWhen(api.Store.SkipReason is not null, api.Store.SkipReason ?? "");
        await using var fresh = new ApiFactory(api.Store.Provider == "Sqlite" ? TestStore.Sqlite() : await TestStore.PostgreSqlAsync());
        _ = fresh.Client();

        // Commands in scopes of their own, as two nodes would send them: both pick the first key number, one loses on
        // the unique index and its second run finds the winner's key.
        var ensured = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = fresh.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EnsureReceiptSigningKey(), Ct);
        }));
        var signer = fresh.Services.GetRequiredService<IConsentReceiptSigner>();
        var signed = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => signer.SignAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), Ct).AsTask()));

        Assert.Single(ensured.Distinct());
        Assert.All(signed, jws => Assert.Equal(ensured[0], Kid(jws)));
        var set = await fresh.Client().GetFromJsonAsync<JsonElement>(Jwks, Ct);
        Assert.Equal(1, set.GetProperty("keys").GetArrayLength());
        Assert.All(signed, jws => Assert.True(Verifies(jws, set)));
    }

    private async Task<string> SignAsync(byte[] payload)
    {
        _ = api.Client(); // starts the host (or skips without a server)
        return await api.Services.GetRequiredService<IConsentReceiptSigner>().SignAsync(payload, Ct);
    }

    private static string Kid(string jws) =>
        JsonDocument.Parse(Decode(jws.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;

    private static JsonElement Key(JsonElement set, string kid) =>
        Assert.Single(set.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);

    /// <summary>RFC 7515 verification, independent of the signer: the JWK's point, ECDSA P-256/SHA-256, r‖s.</summary>
    internal static bool Verifies(string jws, JsonElement set)
    {
        var parts = jws.Split('.');
        var header = JsonDocument.Parse(Decode(parts[0])).RootElement;
        if (header.GetProperty("alg").GetString() != "ES256")
        {
            return false;
        }

        var kid = header.GetProperty("kid").GetString();
        var key = set.GetProperty("keys").EnumerateArray().FirstOrDefault(k => k.GetProperty("kid").GetString() == kid);
        if (key.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Decode(key.GetProperty("x").GetString()!), Y = Decode(key.GetProperty("y").GetString()!) },
        });
        return ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    internal static byte[] Decode(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class SqliteReceiptSigningTests(SqliteApi fixture) : ReceiptSigningTests(fixture.Api), IClassFixture<SqliteApi>
{
    [Fact]
    public void The_key_ring_defaults_to_a_keys_folder_beside_the_SQLite_file()
    {
        _ = fixture.Api.Client();
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(fixture.Api.Store.ConnectionString).DataSource;
        var folder = Path.Combine(Path.GetDirectoryName(file)!, "keys");

        var protector = fixture.Api.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Daxdi.ConsentReceiptKeys.v1");
        protector.Protect([1, 2, 3]);

        Assert.NotEmpty(Directory.GetFiles(folder, "key-*.xml"));
    }
}

public sealed class PostgreSqlReceiptSigningTests(PostgreSqlApi fixture) : ReceiptSigningTests(fixture.Api), IClassFixture<PostgreSqlApi>;
