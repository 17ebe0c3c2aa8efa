using System.Text.Json.Serialization;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>An RFC 9457 problem, as every error of this API is answered (<c>application/problem+json</c>).</summary>
public sealed record ProblemResponse
{
    /// <summary>A URN naming the problem kind; the same as <c>code</c> with a prefix.</summary>
    /// <example>urn:daxdi:problem:request.validation_failed</example>
    public required string Type { get; init; }

    /// <summary>Short, human-readable summary of the problem kind.</summary>
    /// <example>Validation failed</example>
    public required string Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    /// <example>400</example>
    public required int Status { get; init; }

    /// <summary>Human-readable explanation of this occurrence.</summary>
    /// <example>One or more fields are invalid; see errors.</example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }

    /// <summary>Stable machine-readable code to switch on (see docs/api/errors.md).</summary>
    /// <example>request.validation_failed</example>
    public required string Code { get; init; }

    /// <summary>W3C trace id of the request; quote it when reporting a problem.</summary>
    /// <example>00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01</example>
    public required string TraceId { get; init; }

    /// <summary>For <c>request.invalid_parameter</c>: the name of the query, path or header parameter that is wrong.</summary>
    /// <example>limit</example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parameter { get; init; }

    /// <summary>For validation problems: messages per field, keyed by the JSON path of the field.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>For <c>import.duplicate</c> and <c>import.not_an_article</c>: what the import extracted, removed and collapsed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Application.Features.Articles.Import.ImportReport? Report { get; init; }

    /// <summary>For <c>import.duplicate</c>: the article the page is a near-duplicate of, with the similarity and threshold.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Application.Features.Articles.Import.DuplicateOf? DuplicateOf { get; init; }
}
