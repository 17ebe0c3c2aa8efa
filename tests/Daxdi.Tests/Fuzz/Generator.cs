using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// Values from the document's schemas: <see cref="Valid"/> respects types, formats, enums, required properties and
/// bounds (and prefers the document's examples and values learned from the API); <see cref="Invalid"/> breaks them.
/// Every choice comes from one seeded <see cref="Random"/>, so a seed replays the same inputs.
/// </summary>
public sealed class Generator(ApiDocument document, Random random, ValuePool pool)
{
    private const int MaxDepth = 6;
    private static readonly string[] Words = ["harbour", "bridge", "night", "buses", "council", "ferry", "repairs", "city", "news", "rain"];
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Random Random => random;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public bool Chance(double p) => random.NextDouble() < p;

    public JsonNode? Valid(JsonNode? schemaNode, int depth = 0)
    {
        var schema = document.Resolve(schemaNode);
        if (schema["allOf"] is JsonArray all)
        {
            return Valid(Merge(all), depth);
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            var branches = choices.Where(c => !ApiDocument.Types(document.Resolve(c)).SequenceEqual(["null"])).ToList();
            return Valid(Pick(branches.Count > 0 ? branches : [.. choices]), depth);
        }

        if (schema["enum"] is JsonArray values)
        {
            return Pick(values.Where(v => v is not null).ToList())!.DeepClone();
        }

        // The document's examples are valid by construction; random text in a URL or language field is not.
        if (Example(schema) is { } example && Chance(0.7))
        {
            return example;
        }

        var types = ApiDocument.Types(schema).Where(t => t != "null").ToList();
        var type = types.Count > 0 ? Pick(types) : schema["properties"] is not null ? "object" : "string";
        if (ApiDocument.IsNullable(schema) && Chance(0.15))
        {
            return null;
        }

        return type switch
        {
            "string" => ValidString(schema),
            "integer" => Integer(schema),
            "number" => Integer(schema) + random.Next(100) / 100.0,
            "boolean" => random.Next(2) == 0,
            "array" => depth >= MaxDepth ? new JsonArray() : Array(schema, depth),
            _ => depth >= MaxDepth ? new JsonObject() : Object(schema, depth),
        };
    }

    /// <summary>A value the schema does not admit, or that the API should refuse politely.</summary>
    public JsonNode? Invalid(JsonNode? schemaNode)
    {
        var schema = document.Resolve(schemaNode);
        var types = ApiDocument.Types(schema);
        return random.Next(9) switch
        {
            0 => types.Contains("string") ? random.Next(-5, 5) * 1e6 : "not a " + (types.Count > 0 ? types[0] : "value"),
            1 => types.Contains("null") ? new JsonArray() : null,
            2 => new JsonObject { ["nested"] = new JsonArray(1, "two", null) },
            3 => Chance(0.5) ? true : 1.5,
            4 => Pick(Hostile.Numbers) is var n && long.TryParse(n, CultureInfo.InvariantCulture, out var l) ? l : n,
            5 => Pick(Hostile.Guids),
            6 => Pick(Hostile.Dates),
            7 => Pick(Hostile.Search),
            _ => Pick(Hostile.Strings),
        };
    }

    /// <summary>A string for a path, query or header parameter, percent-encoded for the URL.</summary>
    public string ValidParameter(ApiParameter parameter)
    {
        if (pool.Values(parameter.Name) is { Count: > 0 } known && Chance(0.6))
        {
            return Pick(known);
        }

        return Scalar(Valid(parameter.Schema));
    }

    public string InvalidParameter(ApiParameter parameter)
    {
        var types = ApiDocument.Types(parameter.Schema);
        var format = parameter.Schema["format"]?.GetValue<string>();
        var list = random.Next(4) switch
        {
            0 when types.Contains("integer") || types.Contains("number") => Hostile.Numbers,
            0 when types.Contains("boolean") => Hostile.Booleans,
            0 when format == "uuid" => Hostile.Guids,
            0 when format is "date-time" or "date" => Hostile.Dates,
            0 when parameter.Name.Contains("cursor", StringComparison.OrdinalIgnoreCase) => Hostile.Cursors,
            0 or 1 when parameter.Name is "q" or "search" or "query" => Hostile.Search,
            1 => Hostile.Strings,
            2 => Hostile.Cursors,
            _ => Hostile.Search,
        };
        return Pick(list);
    }

    /// <summary>JSON text; <see cref="Hostile.LoneSurrogate"/> becomes <c>\ud800</c>, which no serializer writes.</summary>
    public static string Serialize(JsonNode? node) =>
        (node?.ToJsonString(Readable) ?? "null").Replace(Hostile.LoneSurrogate, "\\ud800", StringComparison.Ordinal);

    /// <summary>Percent-encodes a value for a URL (UTF-8, everything but RFC 3986 unreserved characters).</summary>
    public static string Encode(string value)
    {
        var text = value.Replace(Hostile.LoneSurrogate, "\ud800", StringComparison.Ordinal);
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return builder.ToString();
    }

    public static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private JsonObject Merge(JsonArray parts)
    {
        var merged = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["required"] = new JsonArray() };
        foreach (var part in parts.Select(p => document.Resolve(p)))
        {
            foreach (var (name, value) in part["properties"] as JsonObject ?? [])
            {
                merged["properties"]![name] = value?.DeepClone();
            }

            foreach (var name in part["required"] as JsonArray ?? [])
            {
                merged["required"]!.AsArray().Add(name?.DeepClone());
            }

            if (part["type"] is JsonValue { } t && t.GetValue<string>() != "object")
            {
                return part;
            }
        }

        return merged;
    }

    private static JsonNode? Example(JsonObject schema) =>
        (schema["example"] ?? (schema["examples"] is JsonArray { Count: > 0 } examples ? examples[0] : null))?.DeepClone();

    private string ValidString(JsonObject schema)
    {
        var format = schema["format"]?.GetValue<string>();
        var text = format switch
        {
            "uuid" => pool.Guids is { Count: > 0 } guids && Chance(0.7) ? Pick(guids) : Guid.CreateVersion7().ToString(),
            "date-time" => DateTime.UtcNow.AddDays(random.Next(-120, 400)).AddSeconds(random.Next(86_400))
                .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "date" => DateTime.UtcNow.AddDays(random.Next(-400, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "uri" or "url" => $"https://{Pick(Words)}.example/{Pick(Words)}",
            "email" => $"{Pick(Words)}@{Pick(Words)}.example",
            _ when pool.Identifiers is { Count: > 0 } ids && Chance(0.3) => Pick(ids),
            _ => string.Join(random.Next(3) == 0 ? "-" : " ", Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pick(Words))),
        };
        var min = (int?)schema["minLength"]?.GetValue<long>() ?? 0;
        var max = (int?)schema["maxLength"]?.GetValue<long>() ?? int.MaxValue;
        if (text.Length < min)
        {
            text = text.PadRight(min, 'a');
        }

        return text.Length > max ? text[..max] : text;
    }

    private long Integer(JsonObject schema)
    {
        var min = schema["minimum"]?.GetValue<decimal>() is { } lo ? (long)lo : 0;
        var max = schema["maximum"]?.GetValue<decimal>() is { } hi ? (long)hi : min + 30;
        return min + (long)(random.NextDouble() * (max - min + 1));
    }

    private JsonArray Array(JsonObject schema, int depth)
    {
        var min = (int?)schema["minItems"]?.GetValue<long>() ?? 0;
        var max = Math.Min((int?)schema["maxItems"]?.GetValue<long>() ?? 3, min + 3);
        return [.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Valid(schema["items"], depth + 1))];
    }

    private JsonObject Object(JsonObject schema, int depth)
    {
        var result = new JsonObject();
        var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (required.Contains(name) || Chance(0.4))
            {
                result[name] = Valid(property, depth + 1);
            }
        }

        if (schema["additionalProperties"] is JsonObject extra && (extra.Count > 0 || Chance(0.3)))
        {
            for (var i = random.Next(3); i > 0; i--)
            {
                result[Pick(Words) + i] = Valid(extra, depth + 1);
            }
        }

        return result;
    }
}
