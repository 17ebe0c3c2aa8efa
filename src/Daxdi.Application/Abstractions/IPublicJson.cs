using System.Text.Json;
using System.Text.Json.Serialization;

namespace Daxdi.Application.Abstractions;

/// <summary>Writes the JSON of public responses exactly as the API sends it, with its strong entity tag.</summary>
public interface IPublicJson
{
    /// <summary>UTF-8 JSON of <paramref name="value"/> as <paramref name="type"/>, in the API's settings.</summary>
    byte[] Serialize(object value, Type type);

    RenderedJson Render(object value, Type type);
}

/// <summary>UTF-8 JSON and its strong entity tag (quoted, a hash of the bytes).</summary>
public sealed record RenderedJson(byte[] Bytes, string ETag);

/// <summary>
/// One value's UTF-8 JSON, already written by <see cref="IPublicJson"/> (a stored list item, say), that a response
/// holds as it is.
/// </summary>
[JsonConverter(typeof(JsonFragmentConverter))]
public sealed record JsonFragment(byte[] Utf8);

internal sealed class JsonFragmentConverter : JsonConverter<JsonFragment>
{
    public override JsonFragment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Fragments are written into responses, never read.");

    // Written by IPublicJson, so valid: checking it again would cost what storing it saved.
    public override void Write(Utf8JsonWriter writer, JsonFragment value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}
