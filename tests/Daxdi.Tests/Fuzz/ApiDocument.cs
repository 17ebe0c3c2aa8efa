using System.Text.Json.Nodes;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Fuzz;

/// <summary>A parameter of an operation (<c>in</c> is path, query or header), with its resolved schema.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the OpenAPI document, with what the fuzzer needs to call it resolved.</summary>
public sealed record ApiOperation(
    ContractOperation Contract,
    IReadOnlyList<ApiParameter> Parameters,
    JsonObject? BodySchema,
    bool BodyRequired)
{
    public string Id => Contract.OperationId;

    public string Method => Contract.Method;

    public string Path => Contract.Path;

    public bool Secured => Contract.RequiresAuth;

    /// <summary>The JSON body schema as the document writes it (a <c>$ref</c>, usually), for validation.</summary>
    public JsonNode? DeclaredBodySchema => Contract.RequestBody?.Content.GetValueOrDefault("application/json")?.Schema;

    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    /// <summary>The path's segments; a parameter segment is written <c>{name}</c>.</summary>
    public string[] Segments => Path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => Contract.ToString();
}

/// <summary>
/// The served OpenAPI document (3.0 or 3.1) for generating requests: operations from <see cref="OpenApiContract"/>,
/// and schema helpers that resolve <c>$ref</c> and understand both ways of saying "nullable"
/// (<c>nullable: true</c> and <c>type: [..., "null"]</c>).
/// </summary>
public sealed class ApiDocument
{
    public ApiDocument(OpenApiContract contract)
    {
        Contract = contract;
        Root = contract.Document;
        Operations = [.. contract.Operations.Select(o => new ApiOperation(o,
            [.. o.Parameters.Select(p => new ApiParameter(p.Name, p.In, p.Required, Resolve(p.Schema)))],
            o.RequestBody?.Content.GetValueOrDefault("application/json")?.Schema is { } body ? Resolve(body) : null,
            o.RequestBody?.Required == true))];
    }

    public OpenApiContract Contract { get; }

    public JsonNode Root { get; }

    public IReadOnlyList<ApiOperation> Operations { get; }

    /// <summary>Follows <c>$ref</c> (local references only) until the schema is inline.</summary>
    public JsonObject Resolve(JsonNode? schema)
    {
        var current = schema as JsonObject ?? [];
        for (var hops = 0; current["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            if (hops > 32)
            {
                throw new InvalidOperationException($"$ref cycle at {reference}");
            }

            JsonNode? target = Root;
            foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            current = target as JsonObject ?? throw new InvalidOperationException($"Unresolved $ref {reference}");
        }

        return current;
    }

    /// <summary>The JSON types a schema admits ("null" included when it is nullable); empty when it says nothing.</summary>
    public static IReadOnlyList<string> Types(JsonObject schema)
    {
        var types = schema["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => new List<string>(),
        };
        if (schema["nullable"]?.GetValue<bool>() == true && !types.Contains("null"))
        {
            types.Add("null");
        }

        return types;
    }

    public static bool IsNullable(JsonObject schema) => Types(schema).Contains("null")
        || schema["enum"] is JsonArray e && e.Any(v => v is null);
}
