using System.Net;
using System.Net.Http.Json;
using System.Text;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Platform;

/// <summary>One error shape for the whole API, and no 500 for a client's mistake.</summary>
public sealed class ErrorModelTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private readonly ApiFactory _api = fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_is_400_request_malformed_json()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites", Json("{\"key\": "), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
    }

    [Fact]
    public async Task Malformed_json_is_400_before_a_missing_if_match_is_428()
    {
        var response = await _api.Admin().PutAsync($"/api/v1/admin/articles/{Guid.CreateVersion7()}", Json("{\"title\": "), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_400_request_malformed_json()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/api-keys", Json("{\"name\": 5, \"role\": \"editor\"}"), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
        Assert.Contains("$.name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_400_not_500()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/api-keys", Json("{\"name\": \"x\", \"role\": \"superuser\"}"), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
    }

    [Fact]
    public async Task Unknown_json_properties_are_400_request_unknown_property_and_nothing_is_created()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites", Json(
            """{"key":"sneaky","name":"S","domain":"s.example","defaultLanguage":"en","version":99}"""), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.unknown_property");
        Assert.Contains("$.version", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Admin().GetAsync("/api/v1/admin/sites/sneaky", Ct)).StatusCode);
    }

    [Fact]
    public async Task Missing_required_properties_are_400_request_missing_property()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites", Json("""{"key":"k"}"""), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.missing_property");
        Assert.Contains("name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites",
            new StringContent("key=daxdi", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_before_it_is_read()
    {
        var huge = "{\"name\":\"" + new string('a', 1024 * 1024 + 10) + "\",\"role\":\"editor\"}";

        var response = await _api.Admin().PostAsync("/api/v1/admin/api-keys", Json(huge), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.body_too_large");
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=-5")]
    [InlineData("cursor=not-a-cursor")]
    public async Task Out_of_range_query_values_are_400_validation_errors(string query)
    {
        var response = await _api.Admin().GetAsync($"/api/v1/admin/sites?{query}", Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _));
    }

    [Theory]
    [InlineData("/api/v1/admin/sites?limit=ten", "'limit' must be an integer")]
    [InlineData("/api/v1/admin/sites?limit=99999999999", "'limit' must be an integer")]
    [InlineData("/api/v1/sites/x/articles?from=yesterday", "'from' must be a date-time")]
    [InlineData("/api/v1/admin/sites/x/tags/y?force=maybe", "'force' must be true or false")]
    public async Task A_query_value_of_the_wrong_type_names_the_parameter_and_what_it_expects(string url, string expected)
    {
        var response = await _api.Admin().SendAsync(new HttpRequestMessage(url.Contains("force", StringComparison.Ordinal) ? HttpMethod.Delete : HttpMethod.Get, url), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("bind", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/admin/sites")]
    [InlineData("/api/v1/admin/api-keys")]
    public async Task A_post_without_its_body_is_400_request_missing_body(string url)
    {
        var response = await _api.Admin().PostAsync(url, content: null, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.missing_body");
        Assert.DoesNotContain("Implicit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/problem+json")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("text/json")]
    public async Task A_json_body_under_another_media_type_or_charset_is_415_and_nothing_is_created(string contentType)
    {
        var content = new StringContent("""{"key":"by-media-type","name":"M","domain":"m.example","defaultLanguage":"en"}""");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await _api.Admin().PostAsync("/api/v1/admin/sites", content, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Admin().GetAsync("/api/v1/admin/sites/by-media-type", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    public async Task Json_in_utf8_is_accepted_however_the_media_type_is_spelled(string contentType)
    {
        var key = $"spelled-{Guid.NewGuid():N}"[..20];
        var content = new StringContent($$"""{"key":"{{key}}","name":"M","domain":"m.example","defaultLanguage":"en"}""");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await _api.Admin().PostAsync("/api/v1/admin/sites", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Duplicate_json_properties_are_400_request_duplicate_property()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites",
            Json("""{"key":"twice","name":"A","name":"B","domain":"t.example","defaultLanguage":"en"}"""), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.duplicate_property");
        Assert.Contains("$.name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Admin().GetAsync("/api/v1/admin/sites/twice", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0001")]
    [InlineData("\\u001b[31m")]
    [InlineData("\\u007f")]
    [InlineData("\\u0085")]
    [InlineData("\\ud800")]
    public async Task Control_characters_in_any_json_string_are_400_request_invalid_character(string escaped)
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites",
            Json($$"""{"key":"ctl","name":"bad{{escaped}}name","domain":"c.example","defaultLanguage":"en"}"""), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.invalid_character");
        Assert.Contains("$.name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Admin().GetAsync("/api/v1/admin/sites/ctl", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_line_break_in_a_single_line_field_is_a_validation_error()
    {
        var response = await _api.Admin().PostAsync("/api/v1/admin/sites",
            Json("""{"key":"nl","name":"two\nlines","domain":"n.example","defaultLanguage":"en"}"""), Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await _api.Client().GetAsync("/api/v1/nothing-here", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "route.not_found");
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var response = await _api.Admin().PatchAsync("/api/v1/admin/sites", Json("{}"), Ct);

        await Problem.AssertAsync(response, HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
    }

    [Fact]
    public async Task Validation_problems_list_every_invalid_field_by_json_name()
    {
        var response = await _api.Admin().PostAsJsonAsync("/api/v1/admin/api-keys",
            new { name = "", role = "author", authorSlug = (string?)null }, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["authorSlug", "name", "site"], fields);
    }
}

/// <summary>A server fault answers a 500 problem without internals, and is logged with the same trace id.</summary>
public sealed class UnhandledErrorTests
{
    [Fact]
    public async Task A_store_failure_is_a_500_problem_without_internals_logged_with_its_trace_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = new ApiFactory(TestStore.Sqlite());
        var admin = api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/sites", ct)).StatusCode);
        await using (var connection = new SqliteConnection(api.Store.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE Sites";
            await drop.ExecuteNonQueryAsync(ct);
        }

        var response = await admin.GetAsync("/api/v1/admin/sites", ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, "server.error");
        var text = problem.ToString();
        Assert.DoesNotContain("Sqlite", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sites", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Contains(api.Logs, l => l.Level == LogLevel.Error && l.Message.Contains(traceId, StringComparison.Ordinal)
            && l.Exception is SqliteException);
    }
}
