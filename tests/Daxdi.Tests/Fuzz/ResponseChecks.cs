using System.Text.Json;
using System.Text.RegularExpressions;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// What every response must be, whatever was sent: not a 5xx; a problem document with type, title, status and code
/// for every 4xx; free of .NET type names and stack traces; never a success for a request the contract refuses; and
/// what <see cref="OpenApiContract"/> says about the status, media type, body schema and headers.
/// </summary>
public static partial class ResponseChecks
{
    public static IEnumerable<(string Kind, string Detail)> Check(
        FuzzRequest request, HttpResponseMessage response, string body, OpenApiContract contract)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status >= 500)
        {
            yield return ("server error (5xx)", $"{status}");
        }

        if (request.MustRefuse is { } reason && status < 400)
        {
            yield return ("invalid request accepted", $"{status} for {reason}");
        }

        if (Internals().Match(body) is { Success: true } leak)
        {
            yield return ("internals in body (.NET type name or stack trace)", $"'{leak.Value}'");
        }

        if (status is >= 400 and < 500 && string.Join("; ", ProblemShape(status, mediaType, TryParse(body))) is { Length: > 0 } problems)
        {
            yield return ("4xx is not a complete problem document", problems);
        }

        var prefix = $"{request.Operation.Method} {request.Operation.Path} -> {status}";
        foreach (var violation in contract.Validate(request.Operation.Id, response, body))
        {
            var detail = violation.StartsWith(prefix, StringComparison.Ordinal) ? violation[prefix.Length..].TrimStart(':', ' ') : violation;
            yield return (ContractKind(status, detail), detail);
        }
    }

    /// <summary>Kinds that say the document and the API disagree, whatever the request was.</summary>
    public static bool IsContractKind(string kind) =>
        kind.StartsWith("status not", StringComparison.Ordinal) || kind.StartsWith("body", StringComparison.Ordinal)
        || kind.StartsWith("header", StringComparison.Ordinal);

    private static string ContractKind(int status, string violation) => violation switch
    {
        _ when violation.StartsWith($"status {status} is not declared", StringComparison.Ordinal) => "status not declared in the document",
        _ when violation.StartsWith("media type", StringComparison.Ordinal) || violation.StartsWith("a body", StringComparison.Ordinal) =>
            $"body or media type not declared for {status}",
        _ when violation.StartsWith("header", StringComparison.Ordinal) || violation.StartsWith("declared header", StringComparison.Ordinal) =>
            "header not as declared",
        _ => $"body does not match the declared schema ({status})",
    };

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
