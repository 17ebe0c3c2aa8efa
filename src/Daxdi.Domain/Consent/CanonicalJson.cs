using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Daxdi.Domain.Consent;

/// <summary>
/// One serialization of a value for hashing: camelCase names, enums as camelCase strings, object keys sorted by
/// ordinal, no whitespace, minimal escaping (the JSON Canonicalization Scheme of RFC 8785 for the values used here:
/// strings, integers, booleans, arrays, objects; no floating-point numbers). An auditor can reproduce it.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static byte[] Serialize(object value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="Serialize"/>.</summary>
    public static string Hash(object value) => Convert.ToHexStringLower(SHA256.HashData(Serialize(value)));

    /// <summary>Lower-case hex SHA-256 of UTF-8 text.</summary>
    public static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
