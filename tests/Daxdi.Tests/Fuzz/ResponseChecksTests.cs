using System.Net;
using System.Text;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Fuzz;

/// <summary>The fuzz suite's judgement on single responses: it must be able to fail, and pass a good answer.</summary>
public sealed class ResponseChecksTests
{
    private const string Document = """
        {"openapi":"3.1.1","info":{"title":"t","version":"1"},"paths":{"/things/{id}":{"get":{"operationId":"getThing",
          "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
          "responses":{
            "200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","required":["id"],
              "properties":{"id":{"type":"string"}},"additionalProperties":false}}}},
            "404":{"description":"no","content":{"application/problem+json":{"schema":{"type":"object"}}}}}}}}}
        """;

    private const string Problem404 =
        """{"type":"urn:daxdi:problem:thing.not_found","title":"Not found","status":404,"code":"thing.not_found"}""";

    private static readonly OpenApiContract Contract = OpenApiContract.Parse(Document);

    private static List<string> Kinds(HttpStatusCode status, string mediaType, string body, string? mustRefuse = null)
    {
        var request = new FuzzRequest(new ApiDocument(Contract).Operations[0], "valid") { MustRefuse = mustRefuse };
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        return [.. ResponseChecks.Check(request, response, body, Contract).Select(c => c.Kind)];
    }

    [Fact]
    public void A_declared_answer_that_matches_its_schema_passes()
    {
        Assert.Empty(Kinds(HttpStatusCode.OK, "application/json", """{"id":"a"}"""));
        Assert.Empty(Kinds(HttpStatusCode.NotFound, "application/problem+json", Problem404));
    }

    [Fact]
    public void A_5xx_is_a_failure_and_so_is_its_undeclared_status()
    {
        Assert.Equal(["server error (5xx)", "status not declared in the document"],
            Kinds(HttpStatusCode.InternalServerError, "application/problem+json", "{}"));
    }

    [Fact]
    public void A_4xx_without_code_or_with_the_wrong_status_or_media_type_is_not_a_problem_document()
    {
        Assert.Contains("4xx is not a complete problem document",
            Kinds(HttpStatusCode.NotFound, "application/problem+json", """{"type":"t","title":"x","status":404}"""));
        Assert.Contains("4xx is not a complete problem document",
            Kinds(HttpStatusCode.NotFound, "application/problem+json", Problem404.Replace("404", "400", StringComparison.Ordinal)));
        Assert.Contains("4xx is not a complete problem document", Kinds(HttpStatusCode.NotFound, "text/plain", Problem404));
    }

    [Theory]
    [InlineData("Failed to bind parameter \\\"Nullable<int> limit\\\"")]
    [InlineData("System.FormatException: bad")]
    [InlineData("boom\\n   at Daxdi.Api.Endpoints.X()")]
    public void Type_names_and_stack_traces_in_a_body_are_failures(string detail)
    {
        var body = Problem404.Replace("}", $",\"detail\":\"{detail}\"}}", StringComparison.Ordinal);

        Assert.Contains("internals in body (.NET type name or stack trace)", Kinds(HttpStatusCode.NotFound, "application/problem+json", body));
    }

    [Fact]
    public void A_body_against_its_schema_and_a_success_for_a_request_that_must_be_refused_are_failures()
    {
        Assert.Contains("body does not match the declared schema (200)", Kinds(HttpStatusCode.OK, "application/json", """{"id":1}"""));
        Assert.Contains("invalid request accepted", Kinds(HttpStatusCode.OK, "application/json", """{"id":"a"}""", "a duplicate JSON property"));
    }
}
