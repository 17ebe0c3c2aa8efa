using System.Text.Json;
using System.Text.Json.Nodes;

namespace Daxdi.Tests.Fuzz;

/// <summary>Ways to break a valid JSON body: in its values, its shape, and its text.</summary>
public static class BodyMutations
{
    private static readonly string[] Malformed =
    [
        "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "\0", "\ufeff{}", "{\"a\":1}{\"b\":2}", "[1,2", "{\"a\":01}",
        "{\"a\":NaN}", "{\"a\":\"\\x41\"}", "{\"a\":\"unterminated}", "{\"\\ud800\":1}", "\"\\ud800\"", "{/*c*/}", "tru",
    ];

    private static readonly string[] TopLevel = ["null", "[]", "\"text\"", "42", "true", "", " ", "[{}]"];

    /// <summary>Returns the mutation's name and the body text to send.</summary>
    public static (string Kind, string Body) Apply(Generator g, ApiDocument document, JsonObject schema, string? validBody)
    {
        var body = (validBody is null ? null : JsonNode.Parse(validBody)) ?? g.Valid(schema);
        var target = body as JsonObject;
        var properties = document.Resolve(schema)["properties"] as JsonObject ?? [];
        var required = (document.Resolve(schema)["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();
        var kind = g.Pick(Kinds);
        switch (kind)
        {
            case "wrong-type" when properties.Count > 0 && target is not null:
                var (name, property) = g.Pick(properties.ToList());
                target[name] = g.Invalid(property);
                return ($"{kind}:{name}", Generator.Serialize(target));
            case "null" when properties.Count > 0 && target is not null:
                var nulled = g.Pick(properties.Select(p => p.Key).ToList());
                target[nulled] = null;
                return ($"{kind}:{nulled}", Generator.Serialize(target));
            case "hostile-string" when target is not null && StringLeaf(g, target) is { } leaf:
                var value = g.Pick(Hostile.Strings);
                leaf.Parent[leaf.Name] = value;
                return ($"{kind}:{leaf.Name}", Generator.Serialize(target));
            case "missing-required" when required.Count > 0 && target is not null:
                var missing = g.Pick(required);
                target.Remove(missing);
                return ($"{kind}:{missing}", Generator.Serialize(target));
            case "extra-property" when target is not null:
                target[g.Pick(["unexpected", "id", "version", "status", "__proto__", "$type", "createdBy"])] = g.Valid(new JsonObject { ["type"] = "string" });
                return (kind, Generator.Serialize(target));
            case "duplicate-key" when target is { Count: > 0 }:
                var (first, firstValue) = target.First();
                var text = Generator.Serialize(target);
                var again = $"\"{first}\":{Generator.Serialize(g.Chance(0.5) ? firstValue?.DeepClone() : g.Valid(properties[first]))},";
                return ($"{kind}:{first}", "{" + again + text[1..]);
            case "deep-nesting":
                var depth = g.Pick([65, 1_000, 20_000]);
                return ($"{kind}:{depth}", g.Chance(0.5)
                    ? Hostile.Repeat("[", depth) + Hostile.Repeat("]", depth)
                    : Hostile.Repeat("{\"a\":", depth) + "1" + Hostile.Repeat("}", depth));
            case "huge":
                var huge = new JsonObject();
                foreach (var (key, _) in properties)
                {
                    huge[key] = new string('a', 1_100_000);
                    break;
                }

                return (kind, Generator.Serialize(huge.Count > 0 ? huge : new JsonObject { ["a"] = new string('a', 1_100_000) }));
            case "top-level":
                return (kind, g.Pick(TopLevel));
            default:
                return ("malformed", g.Pick(Malformed));
        }
    }

    private static readonly string[] Kinds =
    [
        "wrong-type", "wrong-type", "null", "hostile-string", "hostile-string", "hostile-string", "missing-required",
        "extra-property", "duplicate-key", "deep-nesting", "top-level", "malformed", "huge",
    ];

    private static (JsonObject Parent, string Name)? StringLeaf(Generator g, JsonObject root)
    {
        var leaves = new List<(JsonObject, string)>();
        Collect(root, leaves);
        return leaves.Count == 0 ? null : g.Pick(leaves);
    }

    private static void Collect(JsonNode? node, List<(JsonObject, string)> leaves)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    leaves.Add((obj, name));
                }

                Collect(value, leaves);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Collect(item, leaves);
            }
        }
    }
}
