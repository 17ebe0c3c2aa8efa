using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Platform;

/// <summary>The served OpenAPI document is complete and is the one committed under docs/.</summary>
public sealed class OpenApiTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private const string UpdateVariable = "DAXDI_UPDATE_OPENAPI";
    private static readonly string[] BodyErrors = ["400", "413", "415"];
    private static readonly string CommittedPath = Path.Combine(Repository.Root, "docs", "openapi.json");

    private async Task<JsonNode> ServedAsync() =>
        JsonNode.Parse(await fixture.Api.Client().GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken))!;

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    [Fact]
    public async Task The_served_document_matches_docs_openapi_json()
    {
        var served = await ServedAsync();
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, text, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(CommittedPath), $"docs/openapi.json is missing. Create it with: {UpdateVariable}=1 dotnet test --filter OpenApi");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath, TestContext.Current.CancellationToken));
        Assert.True(JsonNode.DeepEquals(served, committed),
            "The API's OpenAPI document differs from docs/openapi.json. If the change is intended, refresh it with: " +
            $"{UpdateVariable}=1 dotnet test --filter OpenApi  and commit docs/openapi.json.");
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_a_summary_and_a_500_problem()
    {
        var document = await ServedAsync();
        var operations = Operations(document).ToList();

        Assert.NotEmpty(operations);
        Assert.All(operations, op =>
        {
            Assert.False(string.IsNullOrEmpty(op.Operation["operationId"]?.GetValue<string>()), $"{op.Method} {op.Path}: operationId");
            Assert.False(string.IsNullOrEmpty(op.Operation["summary"]?.GetValue<string>()), $"{op.Method} {op.Path}: summary");
        });
        var contract = OpenApiContract.Parse(document.ToJsonString());
        Assert.All(contract.Operations, op => Assert.Equal(
            "#/components/schemas/ProblemResponse",
            op.ResponseFor(500)?.Content["application/problem+json"].Schema?["$ref"]?.GetValue<string>()));
        var ids = operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Distinct(), ids);
    }

    [Fact]
    public async Task Every_admin_operation_declares_bearer_security_and_its_401_403_problems()
    {
        var document = await ServedAsync();

        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var admin = Operations(document).Where(o => o.Path.StartsWith("/api/v1/admin", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(admin);
        Assert.All(admin, op =>
        {
            Assert.NotNull(op.Operation["security"]);
            Assert.NotNull(op.Operation["responses"]!["401"]);
            Assert.NotNull(op.Operation["responses"]!["403"]);
            Assert.NotNull(op.Operation["responses"]!["429"]);
        });
    }

    [Fact]
    public async Task Operations_with_a_body_declare_400_413_415_and_schemas_carry_examples()
    {
        var document = await ServedAsync();
        var withBody = Operations(document).Where(o => o.Operation["requestBody"] is not null).ToList();

        Assert.NotEmpty(withBody);
        Assert.All(withBody, op =>
        {
            foreach (var status in BodyErrors)
            {
                Assert.True(op.Operation["responses"]![status] is not null, $"{op.Method} {op.Path}: {status}");
            }
        });
        var createSite = document["components"]!["schemas"]!["CreateSite"]!["properties"]!;
        Assert.Equal("daxdi", createSite["key"]!["example"]!.GetValue<string>());
        Assert.Contains("editor", document["components"]!["schemas"]!["ApiRole"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_article_change_documents_a_required_if_match_header()
    {
        var document = await ServedAsync();
        var changes = Operations(document)
            .Where(o => o.Path.StartsWith("/api/v1/admin/articles/", StringComparison.Ordinal) && o.Method != "get")
            .ToList();

        Assert.Equal(8, changes.Count);
        Assert.All(changes, op =>
        {
            var header = op.Operation["parameters"]?.AsArray()
                .FirstOrDefault(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "If-Match");
            Assert.True(header is not null, $"{op.Method} {op.Path}: no If-Match parameter");
            Assert.True(header!["required"]!.GetValue<bool>(), $"{op.Method} {op.Path}: If-Match not required");
            Assert.NotNull(op.Operation["responses"]!["428"]);
            Assert.NotNull(op.Operation["responses"]!["412"]);
        });
        var articleFields = document["components"]!["schemas"]!["ArticleFields"]!["properties"]!;
        Assert.Equal("Harbour bridge reopens after six months of repairs", articleFields["title"]!["example"]!.GetValue<string>());
    }
}
