using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// Validates response bodies against the OpenAPI document's schemas with JsonSchema.Net: each OpenAPI schema
/// (3.0 or 3.1) becomes a JSON Schema 2020-12 with the document's components as <c>$defs</c>.
/// </summary>
public sealed class SchemaValidator(ApiDocument document)
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "$defs"];
    private static readonly string[] SchemaValues = ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"];
    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];

    // OpenAPI 3.0 keywords that are not JSON Schema (nullable is translated, the others are documentation).
    private static readonly string[] Dropped = ["nullable", "example", "discriminator", "xml", "externalDocs"];

    private readonly ConcurrentDictionary<string, JsonSchema> _built = new();
    private readonly Lazy<JsonObject> _defs = new(() => Convert(document.Root["components"]?["schemas"] ?? new JsonObject(), map: true).AsObject());

    /// <summary>The schema violations of <paramref name="body"/>; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode schema, JsonElement body)
    {
        var converted = Convert(schema, map: false);
        var text = converted.ToJsonString();
        var built = _built.GetOrAdd(text, _ =>
        {
            var root = converted is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject { ["allOf"] = new JsonArray(converted.DeepClone()) };
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _defs.Value.DeepClone();
            return JsonSchema.FromText(root.ToJsonString());
        });
        var result = built.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"))
                .Distinct().Take(5)];
    }

    private static JsonNode Convert(JsonNode node, bool map)
    {
        if (map)
        {
            var converted = new JsonObject();
            foreach (var (name, value) in node.AsObject())
            {
                converted[name] = Convert(value!, map: false);
            }

            return converted;
        }

        if (node is not JsonObject schema)
        {
            return node.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (Dropped.Contains(key) || value is null)
            {
                continue;
            }

            result[key] = key switch
            {
                "$ref" when value.GetValue<string>().StartsWith(ComponentsPrefix, StringComparison.Ordinal) =>
                    "#/$defs/" + value.GetValue<string>()[ComponentsPrefix.Length..],
                _ when SchemaMaps.Contains(key) => Convert(value, map: true),
                _ when SchemaValues.Contains(key) => Convert(value, map: false),
                _ when SchemaLists.Contains(key) => new JsonArray([.. value.AsArray().Select(v => Convert(v!, map: false))]),
                _ => value.DeepClone(),
            };
        }

        ExclusiveBound(result, "exclusiveMinimum", "minimum");
        ExclusiveBound(result, "exclusiveMaximum", "maximum");
        return schema["nullable"]?.GetValue<bool>() == true ? Nullable(result) : result;
    }

    /// <summary>OpenAPI 3.0 writes <c>exclusiveMinimum: true</c> beside <c>minimum</c>; 2020-12 wants the bound itself.</summary>
    private static void ExclusiveBound(JsonObject schema, string exclusive, string inclusive)
    {
        if (schema[exclusive] is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            schema.Remove(exclusive);
            if (flag.GetValue<bool>() && schema[inclusive] is { } bound)
            {
                schema.Remove(inclusive);
                schema[exclusive] = bound;
            }
        }
    }

    private static JsonObject Nullable(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }

        switch (schema["type"])
        {
            case JsonValue type:
                schema["type"] = new JsonArray(type.GetValue<string>(), "null");
                return schema;
            case JsonArray types:
                if (!types.Any(t => t!.GetValue<string>() == "null"))
                {
                    types.Add("null");
                }

                return schema;
            default:
                return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        }
    }
}
