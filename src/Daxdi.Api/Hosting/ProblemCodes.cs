namespace Daxdi.Api.Hosting;

/// <summary>Stable machine codes for problems raised by the HTTP pipeline itself (domain codes live with their rules).</summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "request.validation_failed";
    public const string MalformedJson = "request.malformed_json";
    public const string UnknownProperty = "request.unknown_property";
    public const string MissingProperty = "request.missing_property";
    public const string DuplicateProperty = "request.duplicate_property";
    public const string InvalidCharacter = "request.invalid_character";
    public const string MissingBody = "request.missing_body";
    public const string InvalidParameter = "request.invalid_parameter";
    public const string BodyTooLarge = "request.body_too_large";
    public const string UnsupportedMediaType = "request.unsupported_media_type";
    public const string MethodNotAllowed = "request.method_not_allowed";
    public const string RateLimited = "request.rate_limited";
    public const string Conflict = "request.conflict";
    public const string RouteNotFound = "route.not_found";
    public const string Unauthenticated = "auth.unauthenticated";
    public const string Forbidden = "auth.forbidden";
    public const string ServerError = "server.error";
    public const string ServerOverloaded = "server.overloaded";
    public const string StoreFull = "store.full";
    public const string StoreUnavailable = "store.unavailable";

    public const string StoreOutcomeUnknown = "store.outcome_unknown";

    /// <summary>The code for a status that no more specific error explained.</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidParameter,
        StatusCodes.Status401Unauthorized => Unauthenticated,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => RouteNotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        _ when status >= 500 => ServerError,
        _ => $"http.{status}",
    };

    /// <summary>RFC 9457 <c>type</c>: a URN per code, documented in <c>docs/api/errors.md</c>.</summary>
    public static string TypeUri(string code) => $"urn:daxdi:problem:{code}";
}
