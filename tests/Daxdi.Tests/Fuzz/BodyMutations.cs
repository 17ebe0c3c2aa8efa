using System.Text.Json;
using System.Text.Json.Nodes;

namespace Daxdi.Tests.Fuzz;

/// <summary>Ways to break a valid JSON body: in its values, its shape, and its text.</summary>
public static class BodyMutations
{
    // Not "\ufeff{}": RFC 8259 lets a parser ignore a byte order mark, and System.Text.Json does.
    private static readonly string[] Malformed =
    [
        "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "\0", "{\"a\":1}{\"b\":2}", "[1,2", "{\"a\":01}",
        "{\"a\":NaN}", "{\"a\":\"\\x41\"}", "{\"a\":\"unterminated}", "{\"\\ud800\":1}", "\"\\ud800\"", "{/*c*/}", "tru",
    ];

    private static readonly string[] TopLevel = ["null", "[]", "\"text\"", "42", "true", "", " ", "[{}]"];

    /// <summary>
    /// Returns the mutation's name, the body text to send, and why the contract must refuse it (null when the
    /// mutated body may still be valid): the schema judges mutated values, the text-level breakages are never valid.
    /// </summary>
    public static (string Kind, string Body, string? MustRefuse) Apply(Generator g, ApiDocument document, ApiOperation operation, string? validBody)
    {
        var schema = operation.BodySchema!;
        var body = (validBody is null ? null : JsonNode.Parse(validBody)) ?? g.Valid(schema);
        var target = body as JsonObject;
        var properties = schema["properties"] as JsonObject ?? [];
        var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();
        var kind = g.Pick(Kinds);
        switch (kind)
        {
            case "wrong-type" when properties.Count > 0 && target is not null:
                var (name, property) = g.Pick(properties.ToList());
                target[name] = g.Invalid(property);
                return Judged($"{kind}:{name}", target);
            case "null" when properties.Count > 0 && target is not null:
                var nulled = g.Pick(properties.Select(p => p.Key).ToList());
                target[nulled] = null;
                return Judged($"{kind}:{nulled}", target);
            case "hostile-string" when target is not null && StringLeaf(g, target) is { } leaf:
                var value = g.Pick(Hostile.Strings);
                leaf.Parent[leaf.Name] = value;
                return HasControlCharacters(value)
                    ? ($"{kind}:{leaf.Name}", Generator.Serialize(target), "a control character or lone surrogate in a string")
                    : Judged($"{kind}:{leaf.Name}", target);
            case "deep-markup" when target is not null && LongestStringLeaf(target) is { } longest:
                var markup = g.Pick(Hostile.DeepMarkup);
                longest.Parent[longest.Name] = markup;
                return Judged($"{kind}:{longest.Name}", target);
            case "missing-required" when required.Count > 0 && target is not null:
                var missing = g.Pick(required);
                target.Remove(missing);
                return Judged($"{kind}:{missing}", target);
            case "extra-property" when target is not null:
                target[g.Pick(["unexpected", "id", "version", "status", "__proto__", "$type", "createdBy"])] = g.Valid(new JsonObject { ["type"] = "string" });
                return Judged(kind, target);
            case "duplicate-key" when target is { Count: > 0 }:
                var (first, firstValue) = target.First();
                var text = Generator.Serialize(target);
                var again = $"\"{first}\":{Generator.Serialize(g.Chance(0.5) ? firstValue?.DeepClone() : g.Valid(properties[first]))},";
                return ($"{kind}:{first}", "{" + again + text[1..], "a duplicate JSON property");
            case "deep-nesting":
                var depth = g.Pick([65, 1_000, 20_000]);
                return ($"{kind}:{depth}", g.Chance(0.5)
                    ? Hostile.Repeat("[", depth) + Hostile.Repeat("]", depth)
                    : Hostile.Repeat("{\"a\":", depth) + "1" + Hostile.Repeat("}", depth), $"JSON nested {depth} deep");
            case "huge":
                var huge = new JsonObject();
                foreach (var (key, _) in properties)
                {
                    huge[key] = new string('a', 1_100_000);
                    break;
                }

                return (kind, Generator.Serialize(huge.Count > 0 ? huge : new JsonObject { ["a"] = new string('a', 1_100_000) }), null);
            case "top-level":
                var top = g.Pick(TopLevel);
                return top.Trim() is "" or "null" && !operation.BodyRequired
                    ? (kind, top, null)
                    : top.Trim().Length == 0 ? (kind, top, "an empty body") : Judged(kind, JsonNode.Parse(top));
            default:
                return ("malformed", g.Pick(Malformed), "malformed JSON");
        }

        (string, string, string?) Judged(string name, JsonNode? mutated) =>
            (name, Generator.Serialize(mutated),
                document.Contract.ValidateInstance(operation.DeclaredBodySchema!, mutated) is { Count: > 0 } violations ? $"a body the schema refuses ({violations[0]})" : null);
    }

    /// <summary>C0 controls other than tab, line feed and carriage return, and unpaired surrogates.</summary>
    public static bool HasControlCharacters(string text) =>
        text.Contains(Hostile.LoneSurrogate, StringComparison.Ordinal) || text.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r'));

    private static readonly string[] Kinds =
    [
        "wrong-type", "wrong-type", "null", "hostile-string", "hostile-string", "hostile-string", "missing-required",
        "extra-property", "duplicate-key", "deep-nesting", "top-level", "malformed", "huge", "deep-markup",
    ];

    /// <summary>The string that holds the most text (an article's body, say): where markup is rendered.</summary>
    private static (JsonObject Parent, string Name)? LongestStringLeaf(JsonObject root)
    {
        var leaves = new List<(JsonObject Parent, string Name)>();
        Collect(root, leaves);
        return leaves.Count == 0 ? null : leaves.MaxBy(l => l.Parent[l.Name]!.GetValue<string>().Length);
    }

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
