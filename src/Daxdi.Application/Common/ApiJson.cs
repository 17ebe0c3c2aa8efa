using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Daxdi.Application.Common;

/// <summary>
/// The API's JSON contract: camelCase, enums as camelCase strings, unknown and repeated properties rejected, and no
/// string that holds a control character. The one definition: the HTTP endpoints are configured with
/// <see cref="Configure"/>, and the public documents stored ahead of time are written with <see cref="Options"/>.
/// </summary>
public static class ApiJson
{
    /// <summary>The web defaults with <see cref="Configure"/> applied, as the HTTP endpoints have them.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    public static void Configure(JsonSerializerOptions options)
    {
        // What ASP.NET Core's HTTP options start with: the responses are JSON, never embedded in HTML.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new TextConverter());
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Refuses, wherever a request holds a string (values and dictionary keys, every endpoint, now and later), the
    /// characters of <see cref="TextRules.IndexOfForbidden"/>: they corrupt logs, terminals and exports, and
    /// nothing a newsroom writes needs them.
    /// </summary>
    private sealed class TextConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(ref reader);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(ref reader);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Checked(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                // No message: the serializer writes its usual one, with the path ("could not be converted").
                throw new JsonException();
            }

            string text;
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                // An escaped lone surrogate ("\ud800") is not UTF-16 text.
                throw new InvalidCharacterException(null);
            }

            var at = TextRules.IndexOfForbidden(text);
            return at < 0 ? text : throw new InvalidCharacterException(text[at]);
        }
    }
}

/// <summary>A request string held a character that <see cref="TextRules.IndexOfForbidden"/> refuses.</summary>
public sealed class InvalidCharacterException(char? character)
    : JsonException(character is { } c ? $"U+{(int)c:X4}" : "an unpaired surrogate")
{
}
