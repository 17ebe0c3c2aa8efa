using System.Text.Json;
using System.Text.RegularExpressions;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// What every response must be, whatever was sent: not a 5xx; a problem document with type, title, status and code
/// for every 4xx; free of .NET type names and stack traces; a status the document declares for the operation, with
/// a body valid against the schema declared for that status and media type.
/// </summary>
public static partial class ResponseChecks
{
    public static IEnumerable<(string Kind, string Detail)> Check(
        ApiOperation operation, int status, string? mediaType, string body, SchemaValidator validator)
    {
        if (status >= 500)
        {
            yield return ("server error (5xx)", $"{status}");
        }

        if (Internals().Match(body) is { Success: true } leak)
        {
            yield return ("internals in body (.NET type name or stack trace)", $"'{leak.Value}'");
        }

        var json = TryParse(body);
        if (status is >= 400 and < 500)
        {
            if (string.Join("; ", ProblemShape(status, mediaType, json)) is { Length: > 0 } problems)
            {
                yield return ("4xx is not a complete problem document", problems);
            }
        }

        var declared = operation.Responses.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            ?? operation.Responses.GetValueOrDefault($"{status / 100}XX") ?? operation.Responses.GetValueOrDefault("default");
        if (declared is null)
        {
            yield return ("status not declared in the document", $"{status}; declared: {string.Join(", ", operation.Responses.Keys)}");
            yield break;
        }

        if (body.Length == 0)
        {
            if (declared.Count > 0 && status is not (204 or 304))
            {
                yield return ("declared body missing", $"{status} has an empty body; declared: {string.Join(", ", declared.Keys)}");
            }

            yield break;
        }

        if (mediaType is null || !declared.TryGetValue(mediaType, out var schema))
        {
            yield return ("media type not declared for the status",
                $"{status} {mediaType ?? "(none)"}; declared: {(declared.Count == 0 ? "no body" : string.Join(", ", declared.Keys))}");
            yield break;
        }

        if (schema is null)
        {
            yield break;
        }

        if (json is null)
        {
            yield return ("body is not JSON", $"{status} {mediaType}");
            yield break;
        }

        foreach (var error in validator.Validate(schema, json.Value))
        {
            yield return ($"body does not match the declared schema ({status})", error);
        }
    }

    private static IEnumerable<string> ProblemShape(int status, string? mediaType, JsonElement? json)
    {
        if (mediaType != "application/problem+json")
        {
            yield return $"Content-Type is {mediaType ?? "(none)"}";
        }

        if (json is not { ValueKind: JsonValueKind.Object } problem)
        {
            yield return "the body is not a JSON object";
            yield break;
        }

        foreach (var member in new[] { "type", "title", "code" })
        {
            if (!problem.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is "" or null)
            {
                yield return $"'{member}' is missing or empty";
            }
        }

        if (!problem.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != status)
        {
            yield return $"'status' is not {status}";
        }
    }

    private static JsonElement? TryParse(string body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\b(?:System|Microsoft|Daxdi)\.[A-Z]\w*|Nullable`1|Nullable<|\bat \w+(?:\.\w+)+\(|   at |Exception\b")]
    private static partial Regex Internals();
}
