using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Daxdi.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Platform;

/// <summary>Whatever a client accepts, an error is answered with its real status and a problem body, and is not logged as a fault.</summary>
public sealed class AcceptHeaderTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Accepts => ["application/xml", "text/html", "text/plain", "image/webp", "application/json;q=0"];

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task Errors_keep_their_status_and_problem_body_for_any_accept_header(string accept)
    {
        var api = fixture.Api;
        var anonymous = api.Client();
        var admin = api.Admin();
        await admin.PostAsync("/api/v1/admin/sites", Json("""{"key":"accept","name":"A","domain":"a.example","defaultLanguage":"en"}"""), Ct);

        (HttpClient Client, HttpRequestMessage Request, HttpStatusCode Status, string Code)[] cases =
        [
            (anonymous, new(HttpMethod.Get, "/api/v1/sites/accept/articles/no-such-slug"), HttpStatusCode.NotFound, "article.not_found"),
            (anonymous, new(HttpMethod.Get, "/api/v1/admin/sites"), HttpStatusCode.Unauthorized, "auth.unauthenticated"),
            (anonymous, new(HttpMethod.Get, "/api/v1/nothing-here"), HttpStatusCode.NotFound, "route.not_found"),
            (admin, new(HttpMethod.Get, "/api/v1/admin/sites?limit=0"), HttpStatusCode.BadRequest, "request.validation_failed"),
            (admin, new(HttpMethod.Post, "/api/v1/admin/sites") { Content = Json("{\"key\":") }, HttpStatusCode.BadRequest, "request.malformed_json"),
            (admin, new(HttpMethod.Delete, "/api/v1/admin/sites/accept"), HttpStatusCode.PreconditionRequired, "request.if_match_required"),
            (admin, new(HttpMethod.Delete, "/api/v1/admin/sites/accept") { Headers = { { "If-Match", "\"99\"" } } },
                HttpStatusCode.PreconditionFailed, "request.version_mismatch"),
        ];

        foreach (var (client, request, status, code) in cases)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
            var response = await client.SendAsync(request, Ct);
            await Problem.AssertAsync(response, status, code);
        }

        Assert.DoesNotContain(api.Logs, l => l.Level >= LogLevel.Warning);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
