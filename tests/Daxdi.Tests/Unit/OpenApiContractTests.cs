using System.Net;
using System.Text;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Unit;

/// <summary>The contract checker itself: it reports each kind of drift, so a green contract test means something.</summary>
public sealed class OpenApiContractTests
{
    private const string Document = """
        {
          "openapi": "3.1.1",
          "paths": {
            "/things/{id}": {
              "get": {
                "operationId": "getThing",
                "responses": {
                  "200": {
                    "description": "The thing.",
                    "headers": { "ETag": { "required": true, "schema": { "type": "string", "pattern": "^\"[0-9]+\"$" } } },
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } }
                  },
                  "304": { "description": "Not modified." },
                  "429": {
                    "description": "Slow down.",
                    "headers": { "Retry-After": { "required": true, "schema": { "type": "integer", "minimum": 1 } } },
                    "content": { "application/problem+json": { "schema": { "type": "object" } } }
                  }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "Thing": {
                "type": "object",
                "required": ["id", "section"],
                "additionalProperties": false,
                "properties": {
                  "id": { "type": "string", "format": "uuid" },
                  "section": { "oneOf": [{ "$ref": "#/components/schemas/Ref" }, { "type": "null" }] }
                }
              },
              "Ref": { "type": "object", "required": ["slug"], "properties": { "slug": { "type": "string" } } }
            }
          }
        }
        """;

    private static readonly OpenApiContract Contract = OpenApiContract.Parse(Document);

    private static HttpResponseMessage Response(HttpStatusCode status, string? body = null, string mediaType = "application/json",
        params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = body is null ? new ByteArrayContent([]) : new StringContent(body, Encoding.UTF8, mediaType),
        };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Fact]
    public void A_response_as_declared_has_no_violations()
    {
        const string body = """{ "id": "019ac8f0-0000-7000-8000-000000000001", "section": null }""";

        Assert.Empty(Contract.Validate("getThing", Response(HttpStatusCode.OK, body, headers: ("ETag", "\"3\"")), body));
        Assert.Empty(Contract.Validate("getThing", Response(HttpStatusCode.NotModified), ""));
    }

    [Fact]
    public void An_undeclared_status_is_reported()
    {
        var violations = Contract.Validate("getThing", Response(HttpStatusCode.InternalServerError), "");

        Assert.Contains(violations, v => v.Contains("status 500 is not declared", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "id": "019ac8f0-0000-7000-8000-000000000001" }""", "section")]
    [InlineData("""{ "id": "not-a-uuid", "section": null }""", "/id")]
    [InlineData("""{ "id": "019ac8f0-0000-7000-8000-000000000001", "section": { "name": "x" } }""", "/section")]
    [InlineData("""{ "id": "019ac8f0-0000-7000-8000-000000000001", "section": null, "extra": 1 }""", "extra")]
    public void A_body_that_does_not_match_its_schema_is_reported(string body, string named)
    {
        var violations = Contract.Validate("getThing", Response(HttpStatusCode.OK, body, headers: ("ETag", "\"3\"")), body);

        Assert.Contains(violations, v => v.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void An_undeclared_media_type_is_reported()
    {
        const string body = """{ "id": "019ac8f0-0000-7000-8000-000000000001", "section": null }""";

        var violations = Contract.Validate("getThing", Response(HttpStatusCode.OK, body, "text/plain", ("ETag", "\"3\"")), body);

        Assert.Contains(violations, v => v.Contains("'text/plain' is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_invalid_and_undeclared_headers_are_reported()
    {
        const string body = """{ "id": "019ac8f0-0000-7000-8000-000000000001", "section": null }""";

        var missing = Contract.Validate("getThing", Response(HttpStatusCode.OK, body), body);
        var invalid = Contract.Validate("getThing", Response(HttpStatusCode.OK, body, headers: ("ETag", "W/\"3\"")), body);
        var undeclared = Contract.Validate("getThing", Response(HttpStatusCode.OK, body, headers: [("ETag", "\"3\""), ("Surrogate-Key", "a")]), body);
        var notANumber = Contract.Validate("getThing",
            Response(HttpStatusCode.TooManyRequests, "{}", "application/problem+json", ("Retry-After", "soon")), "{}");

        Assert.Contains(missing, v => v.Contains("'ETag' is missing", StringComparison.Ordinal));
        Assert.Contains(invalid, v => v.Contains("header 'ETag", StringComparison.Ordinal));
        Assert.Contains(undeclared, v => v.Contains("'Surrogate-Key' was sent but is not declared", StringComparison.Ordinal));
        Assert.Contains(notANumber, v => v.Contains("header 'Retry-After", StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_where_none_is_declared_is_reported()
    {
        var violations = Contract.Validate("getThing", Response(HttpStatusCode.NotModified, "{}"), "{}");

        Assert.Contains(violations, v => v.Contains("declares none", StringComparison.Ordinal));
    }

    [Fact]
    public void Operations_list_what_a_spec_driven_client_needs()
    {
        var operation = Assert.Single(Contract.Operations);

        Assert.Equal(("getThing", "GET", "/things/{id}"), (operation.OperationId, operation.Method, operation.Path));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotModified, HttpStatusCode.TooManyRequests], operation.DeclaredStatuses);
        Assert.Equal("object", Contract.Resolve(operation.Responses["200"].Content["application/json"].Schema!)["type"]!.GetValue<string>());
    }
}
