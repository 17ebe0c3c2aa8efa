using System.Text.Json.Nodes;

namespace Daxdi.Tests.Fuzz;

/// <summary>A parameter of an operation (<c>in</c> is path, query or header), with its resolved schema.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the OpenAPI document, everything the fuzzer needs to call it and judge the answer.</summary>
public sealed record ApiOperation(
    string Id,
    string Method,
    string Path,
    IReadOnlyList<ApiParameter> Parameters,
    JsonObject? BodySchema,
    bool BodyRequired,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> Responses,
    bool Secured)
{
    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    /// <summary>The path's segments; a parameter segment is written <c>{name}</c>.</summary>
    public string[] Segments => Path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"{Id} ({Method} {Path})";
}

/// <summary>
/// The served OpenAPI document (3.0 or 3.1) read as plain JSON: operations, and schema helpers that resolve
/// <c>$ref</c> and understand both ways of saying "nullable" (<c>nullable: true</c> and <c>type: [..., "null"]</c>).
/// </summary>
public sealed class ApiDocument
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public ApiDocument(JsonNode root)
    {
        Root = root;
        Operations = [.. Read(root)];
    }

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

    private IEnumerable<ApiOperation> Read(JsonNode root)
    {
        var globalSecurity = root["security"] is JsonArray { Count: > 0 };
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            var shared = item!["parameters"] as JsonArray ?? [];
            foreach (var method in Methods)
            {
                if (item[method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = shared.Concat(operation["parameters"] as JsonArray ?? [])
                    .Select(p => Resolve(p))
                    .Select(p => new ApiParameter(p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() == true, Resolve(p["schema"])))
                    .ToList();
                var body = operation["requestBody"] is { } requestBody ? Resolve(requestBody) : null;
                var bodySchema = body?["content"]?["application/json"]?["schema"] is { } s ? Resolve(s) : null;
                var responses = operation["responses"]!.AsObject().ToDictionary(
                    r => r.Key,
                    r => (IReadOnlyDictionary<string, JsonNode?>)((Resolve(r.Value)["content"] as JsonObject)?
                        .ToDictionary(c => c.Key, c => c.Value?["schema"]) ?? []));
                var secured = operation["security"] is JsonArray security ? security.Count > 0 : globalSecurity;
                yield return new ApiOperation(operation["operationId"]?.GetValue<string>() ?? $"{method} {path}",
                    method.ToUpperInvariant(), path, parameters, bodySchema, body?["required"]?.GetValue<bool>() == true,
                    responses, secured);
            }
        }
    }
}
