using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Daxdi.Tests.Support;

/// <summary>
/// The API's OpenAPI 3.1 document as a contract that responses are checked against: is the status declared,
/// does the body match the schema declared for that status and media type, are the declared headers present and valid,
/// and is every header the API sent declared. Schemas are JSON Schema 2020-12 (OpenAPI 3.1), evaluated with
/// JsonSchema.Net; <c>#/components/schemas/…</c> references resolve inside the document.
/// </summary>
public sealed class OpenApiContract
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    /// <summary>Headers of the transport, not of the API: never declared, never checked.</summary>
    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Length", "Date", "Server", "Transfer-Encoding", "Connection", "Keep-Alive",
    };

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonObject _definitions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly Dictionary<string, ContractOperation> _byId;

    private OpenApiContract(JsonObject document)
    {
        Document = document;
        _definitions = (JsonObject)RewriteReferences(document["components"]?["schemas"] ?? new JsonObject());
        Operations = [.. ReadOperations(document)];
        _byId = Operations.ToDictionary(o => o.OperationId, StringComparer.Ordinal);
    }

    /// <summary>The whole document, as served.</summary>
    public JsonObject Document { get; }

    /// <summary>Every operation of the document, in document order.</summary>
    public IReadOnlyList<ContractOperation> Operations { get; }

    /// <summary>Reads the document the API serves.</summary>
    public static async Task<OpenApiContract> LoadAsync(HttpClient client, CancellationToken cancellationToken = default) =>
        Parse(await client.GetStringAsync(DocumentPath, cancellationToken));

    public static OpenApiContract Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new ArgumentException("The document is not a JSON object.", nameof(json)));

    public ContractOperation Operation(string operationId) =>
        _byId.TryGetValue(operationId, out var operation)
            ? operation
            : throw new KeyNotFoundException($"The document has no operation '{operationId}'.");

    /// <summary>
    /// Checks one response of <paramref name="operationId"/> against the document and returns what does not match,
    /// each as one readable line (empty when the response is what the document says).
    /// </summary>
    public IReadOnlyList<string> Validate(string operationId, HttpResponseMessage response, string body)
    {
        var operation = Operation(operationId);
        var status = (int)response.StatusCode;
        var prefix = $"{operation.Method} {operation.Path} -> {status}";
        if (operation.ResponseFor(status) is not { } declared)
        {
            return [$"{prefix}: status {status} is not declared (declared: {string.Join(", ", operation.Responses.Keys)})"];
        }

        var violations = new List<string>();
        ValidateBody(prefix, declared, response, body, violations);
        ValidateHeaders(prefix, declared, response, violations);
        return violations;
    }

    /// <summary>Validates a JSON value against a schema of this document (e.g. a request body or an example).</summary>
    public IReadOnlyList<string> ValidateInstance(JsonNode schema, JsonNode? instance, string where = "")
    {
        var key = schema.ToJsonString();
        var compiled = _schemas.GetOrAdd(key, _ => Compile(schema));
        using var parsed = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = compiled.Evaluate(parsed.RootElement, Evaluation);
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? [result])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{where}{(where.Length > 0 ? " " : "")}at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Value}"))
            .Distinct()];
    }

    /// <summary>The component schema a <c>$ref</c> names, or the schema itself when it is not a reference.</summary>
    public JsonNode Resolve(JsonNode schema)
    {
        while (schema is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference)
        {
            const string prefix = "#/components/schemas/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new NotSupportedException($"Reference '{reference}' is not to a component schema.");
            }

            schema = Document["components"]!["schemas"]![reference[prefix.Length..]]
                ?? throw new KeyNotFoundException($"The document has no schema '{reference}'.");
        }

        return schema;
    }

    private void ValidateBody(string prefix, ContractResponse declared, HttpResponseMessage response, string body, List<string> violations)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (declared.Content.Count == 0)
        {
            if (body.Length > 0)
            {
                violations.Add($"{prefix}: a body ({mediaType}) was sent, but the response declares none");
            }

            return;
        }

        if (mediaType is null || !declared.Content.TryGetValue(mediaType, out var media))
        {
            violations.Add($"{prefix}: media type '{mediaType}' is not declared (declared: {string.Join(", ", declared.Content.Keys)})");
            return;
        }

        if (media.Schema is null)
        {
            return;
        }

        // A document that is not JSON (an SVG image) is checked for being there; its schema is a string.
        if (mediaType != "application/json" && !mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            if (body.Length == 0)
            {
                violations.Add($"{prefix}: the {mediaType} body is empty");
            }

            return;
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            violations.Add($"{prefix}: the body is not JSON ({e.Message})");
            return;
        }

        violations.AddRange(ValidateInstance(media.Schema, instance, $"{prefix} {mediaType}"));
    }

    private void ValidateHeaders(string prefix, ContractResponse declared, HttpResponseMessage response, List<string> violations)
    {
        var sent = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);

        foreach (var (name, header) in declared.Headers)
        {
            if (!sent.TryGetValue(name, out var value))
            {
                if (header.Required)
                {
                    violations.Add($"{prefix}: declared header '{name}' is missing");
                }

                continue;
            }

            if (header.Schema is not null)
            {
                violations.AddRange(ValidateInstance(header.Schema, HeaderValue(header.Schema, value), $"{prefix} header '{name}: {value}'"));
            }
        }

        foreach (var name in sent.Keys.Where(n => !TransportHeaders.Contains(n) && !declared.Headers.ContainsKey(n)))
        {
            violations.Add($"{prefix}: header '{name}' was sent but is not declared");
        }
    }

    /// <summary>A header's text as the JSON value its schema describes (integers for <c>Retry-After</c> and the like).</summary>
    private JsonValue HeaderValue(JsonNode schema, string value)
    {
        var type = Resolve(schema)["type"]?.ToString();
        return type == "integer" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    private JsonSchema Compile(JsonNode schema)
    {
        var root = RewriteReferences(schema) is JsonObject o ? o : new JsonObject { ["allOf"] = new JsonArray(RewriteReferences(schema)) };
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _definitions.DeepClone();
        var options = new BuildOptions();
        return JsonSchema.FromText(root.ToJsonString(), options, new Uri($"https://contract.daxdi.test/{Guid.NewGuid():N}"));
    }

    /// <summary>A copy with <c>#/components/schemas/X</c> references turned into <c>#/$defs/X</c>.</summary>
    private static JsonNode RewriteReferences(JsonNode node)
    {
        var copy = node.DeepClone();
        Rewrite(copy);
        return copy;

        static void Rewrite(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    if (o["$ref"] is JsonValue r && r.GetValue<string>() is { } text)
                    {
                        o["$ref"] = text.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Rewrite(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Rewrite(child);
                    }

                    break;
            }
        }
    }

    private static IEnumerable<ContractOperation> ReadOperations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            var shared = item!["parameters"]?.AsArray() ?? [];
            foreach (var (method, node) in item.AsObject().Where(p => p.Key is "get" or "put" or "post" or "delete" or "patch" or "head" or "options"))
            {
                var op = node!.AsObject();
                var parameters = shared.Concat(op["parameters"]?.AsArray() ?? [])
                    .Select(p => new ContractParameter(
                        p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false,
                        p["schema"], p["description"]?.GetValue<string>(), p.AsObject()))
                    .ToList();
                var requestBody = op["requestBody"] is JsonObject body
                    ? new ContractRequestBody(body["required"]?.GetValue<bool>() ?? false, Media(body["content"]))
                    : null;
                var responses = (op["responses"]?.AsObject() ?? []).Select(r => (r.Key, Value: Component(document, "responses", r.Value!))).ToDictionary(
                    r => r.Key,
                    r => new ContractResponse(r.Key, r.Value["description"]?.GetValue<string>() ?? "", Media(r.Value["content"]),
                        (r.Value["headers"]?.AsObject() ?? []).ToDictionary(
                            h => h.Key,
                            h => Header(document, h.Key, h.Value!),
                            StringComparer.OrdinalIgnoreCase)),
                    StringComparer.Ordinal);
                yield return new ContractOperation(
                    op["operationId"]?.GetValue<string>() ?? $"{method} {path}", method.ToUpperInvariant(), path, parameters, requestBody,
                    responses, op["security"] is JsonArray { Count: > 0 }, op);
            }
        }
    }

    /// <summary>The object itself, or the <c>components/{kind}</c> entry its <c>$ref</c> names.</summary>
    private static JsonNode Component(JsonObject document, string kind, JsonNode node)
    {
        var prefix = $"#/components/{kind}/";
        if (node["$ref"]?.GetValue<string>() is not { } reference)
        {
            return node;
        }

        return reference.StartsWith(prefix, StringComparison.Ordinal)
            ? document["components"]?[kind]?[reference[prefix.Length..]] ?? throw new KeyNotFoundException($"The document has no {kind} entry '{reference}'.")
            : throw new NotSupportedException($"Reference '{reference}' is not to components/{kind}.");
    }

    private static ContractHeader Header(JsonObject document, string name, JsonNode node)
    {
        var header = Component(document, "headers", node);
        return new ContractHeader(name, header["required"]?.GetValue<bool>() ?? false, header["schema"], header["description"]?.GetValue<string>());
    }

    private static Dictionary<string, ContractMediaType> Media(JsonNode? content) =>
        (content?.AsObject() ?? []).ToDictionary(
            m => m.Key,
            m => new ContractMediaType(m.Key, m.Value!["schema"], m.Value["example"]),
            StringComparer.OrdinalIgnoreCase);
}

/// <summary>One operation of the document.</summary>
/// <param name="Method">Upper case: <c>GET</c>, <c>POST</c>…</param>
/// <param name="Path">The path template, e.g. <c>/api/v1/admin/articles/{id}</c>.</param>
/// <param name="RequiresAuth">Whether the operation declares a security requirement.</param>
/// <param name="Node">The operation object as the document has it.</param>
public sealed record ContractOperation(
    string OperationId,
    string Method,
    string Path,
    IReadOnlyList<ContractParameter> Parameters,
    ContractRequestBody? RequestBody,
    IReadOnlyDictionary<string, ContractResponse> Responses,
    bool RequiresAuth,
    JsonObject Node)
{
    /// <summary>The declared response for a status: exact (<c>404</c>), then range (<c>4XX</c>), then <c>default</c>.</summary>
    public ContractResponse? ResponseFor(int status) =>
        Responses.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture))
        ?? Responses.GetValueOrDefault($"{status / 100}XX")
        ?? Responses.GetValueOrDefault("default");

    /// <summary>The statuses declared, as numbers (ranges and <c>default</c> left out).</summary>
    public IEnumerable<HttpStatusCode> DeclaredStatuses =>
        Responses.Keys.Where(k => int.TryParse(k, CultureInfo.InvariantCulture, out _)).Select(k => (HttpStatusCode)int.Parse(k, CultureInfo.InvariantCulture));

    public override string ToString() => $"{OperationId} ({Method} {Path})";
}

/// <param name="In"><c>path</c>, <c>query</c>, <c>header</c> or <c>cookie</c>.</param>
public sealed record ContractParameter(string Name, string In, bool Required, JsonNode? Schema, string? Description, JsonObject Node);

/// <param name="Content">By media type (e.g. <c>application/json</c>).</param>
public sealed record ContractRequestBody(bool Required, IReadOnlyDictionary<string, ContractMediaType> Content);

/// <param name="Status">As the document keys it: <c>200</c>, <c>4XX</c> or <c>default</c>.</param>
public sealed record ContractResponse(
    string Status,
    string Description,
    IReadOnlyDictionary<string, ContractMediaType> Content,
    IReadOnlyDictionary<string, ContractHeader> Headers);

public sealed record ContractMediaType(string Name, JsonNode? Schema, JsonNode? Example);

public sealed record ContractHeader(string Name, bool Required, JsonNode? Schema, string? Description);
