using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Daxdi.Tests.Platform;

public sealed class ApiKeyAuthTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private readonly ApiFactory _api = fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_admin_requests_get_401_with_a_bearer_challenge()
    {
        var response = await _api.Client().GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Equal("Bearer realm=\"daxdi\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("dx_ThisIsNotARealKeyButHasTheRightShape000000")]
    [InlineData("garbage")]
    [InlineData("dx_short")]
    public async Task An_unknown_or_malformed_key_gets_401_invalid_token(string key)
    {
        var response = await _api.Client(key).GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_key_is_prefixed_random_and_shown_only_at_creation()
    {
        var created = await _api.Admin().PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "shown once", role = "editor" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetString();

        Assert.Matches("^dx_[0-9A-Za-z]{43}$", key);
        Assert.Equal($"/api/v1/admin/api-keys/{id}", created.Headers.Location?.OriginalString);
        var read = await _api.Admin().GetStringAsync($"/api/v1/admin/api-keys/{id}", Ct);
        var list = await _api.Admin().GetStringAsync("/api/v1/admin/api-keys?limit=100", Ct);
        Assert.DoesNotContain(key, read, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Contains(key[..12], read, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_holds_only_a_hash_of_the_key()
    {
        var key = await _api.CreateKeyAsync("finance");

        await using var connection = new SqliteConnection(_api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM ApiKeys WHERE Prefix = $prefix";
        command.Parameters.AddWithValue("$prefix", key[..12]);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var value = reader.GetValue(i);
            var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value.ToString();
            Assert.DoesNotContain(key, text ?? "", StringComparison.Ordinal);
        }

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), (byte[])reader["SecretHash"]);
    }

    [Fact]
    public async Task A_key_authenticates_and_records_when_it_was_last_used()
    {
        var key = await _api.CreateKeyAsync("admin");
        var id = await KeyIdAsync(key);
        Assert.Equal(JsonValueKind.Null, (await ReadKeyAsync(id)).GetProperty("lastUsedAt").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await _api.Client(key).GetAsync("/api/v1/admin/sites", Ct)).StatusCode);

        var lastUsed = (await ReadKeyAsync(id)).GetProperty("lastUsedAt").GetDateTime();
        Assert.True(DateTime.UtcNow - lastUsed < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var key = await _api.CreateKeyAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await _api.Client(key).GetAsync("/api/v1/admin/sites", Ct)).StatusCode);
        var id = await KeyIdAsync(key);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.Admin().DeleteAsync($"/api/v1/admin/api-keys/{id}", Ct)).StatusCode);

        var after = await _api.Client(key).GetAsync("/api/v1/admin/sites", Ct);
        await Problem.AssertAsync(after, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.NotEqual(JsonValueKind.Null, (await ReadKeyAsync(id)).GetProperty("revokedAt").ValueKind);
        var again = await _api.Admin().DeleteAsync($"/api/v1/admin/api-keys/{id}", Ct);
        await Problem.AssertAsync(again, HttpStatusCode.UnprocessableEntity, "api_key.already_revoked");
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        var response = await _api.Admin().DeleteAsync($"/api/v1/admin/api-keys/{Guid.NewGuid()}", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "api_key.not_found");
    }

    [Fact]
    public async Task A_role_that_may_not_use_an_endpoint_gets_403()
    {
        var editor = await _api.CreateKeyAsync("editor");

        var response = await _api.Client(editor).PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "escalate", role = "admin" }, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task Author_keys_must_name_an_existing_author_of_an_existing_site_and_other_roles_must_not()
    {
        var admin = _api.Admin();
        await admin.PostAsJsonAsync("/api/v1/admin/sites", new { key = "keys-site", name = "K", domain = "k.example", defaultLanguage = "en" }, Ct);
        await admin.PostAsJsonAsync("/api/v1/admin/sites/keys-site/authors", new { name = "Jane Doe" }, Ct);
        async Task<HttpResponseMessage> Create(object body) => await admin.PostAsJsonAsync("/api/v1/admin/api-keys", body, Ct);

        var missing = await Create(new { name = "a", role = "author" });
        var noSite = await Create(new { name = "a", role = "author", authorSlug = "jane-doe" });
        var extra = await Create(new { name = "e", role = "editor", site = "keys-site", authorSlug = "jane-doe" });
        var unknownAuthor = await Create(new { name = "a", role = "author", site = "keys-site", authorSlug = "nobody" });
        var unknownSite = await Create(new { name = "a", role = "author", site = "no-such-site", authorSlug = "jane-doe" });
        var ok = await Create(new { name = "a", role = "author", site = "keys-site", authorSlug = "jane-doe" });

        Assert.Equal(["authorSlug", "site"], await InvalidFieldsAsync(missing));
        Assert.Equal(["site"], await InvalidFieldsAsync(noSite));
        Assert.Equal(["authorSlug", "site"], await InvalidFieldsAsync(extra));
        Assert.Equal(["authorSlug"], await InvalidFieldsAsync(unknownAuthor));
        Assert.Equal(["site"], await InvalidFieldsAsync(unknownSite));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var created = await ok.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("keys-site", created.GetProperty("site").GetString());
        Assert.Equal("jane-doe", created.GetProperty("authorSlug").GetString());
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/api-keys/{created.GetProperty("id").GetString()}", Ct);
        Assert.Equal("keys-site", listed.GetProperty("site").GetString());
        Assert.Equal("jane-doe", listed.GetProperty("authorSlug").GetString());
    }

    private static async Task<List<string>> InvalidFieldsAsync(HttpResponseMessage response)
    {
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Key_list_pages_newest_first_with_a_cursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await _api.CreateKeyAsync("editor");
        }

        var first = await _api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/api-keys?limit=2", Ct);
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await _api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/api-keys?limit=2&cursor={cursor}", Ct);

        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(k => k.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.Distinct(), ids);
        var created = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(k => k.GetProperty("createdAt").GetDateTime()).ToList();
        Assert.Equal(created.OrderDescending(), created);
    }

    [Fact]
    public async Task A_tampered_cursor_is_a_400_not_a_500()
    {
        var tampered = Daxdi.Application.Common.Cursor.Encode("not-a-guid");

        var response = await _api.Admin().GetAsync($"/api/v1/admin/api-keys?cursor={tampered}", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [Fact]
    public async Task Reading_a_key_returns_its_version_as_etag()
    {
        var key = await _api.CreateKeyAsync("editor");

        var response = await _api.Admin().GetAsync($"/api/v1/admin/api-keys/{await KeyIdAsync(key)}", Ct);

        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
    }

    private async Task<string> KeyIdAsync(string key)
    {
        var page = await _api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/api-keys?limit=100", Ct);
        return page.GetProperty("items").EnumerateArray()
            .Single(k => k.GetProperty("prefix").GetString() == key[..12]).GetProperty("id").GetString()!;
    }

    private Task<JsonElement> ReadKeyAsync(string id) =>
        _api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/api-keys/{id}", Ct);
}

public sealed class BootstrapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_configured_bootstrap_key_is_an_admin_key()
    {
        await using var api = new ApiFactory(TestStore.Sqlite());

        var response = await api.Admin().PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "n", role = "admin" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Outside_development_no_key_is_generated_and_the_admin_api_stays_closed()
    {
        await using var api = new ApiFactory(TestStore.Sqlite()) { WithBootstrapKey = false };

        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/ready", Ct)).StatusCode);

        await using var connection = new SqliteConnection(api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM ApiKeys";
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }
}
