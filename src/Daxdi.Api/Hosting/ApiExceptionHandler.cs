using System.Text.Json;
using System.Text.RegularExpressions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Daxdi.Infrastructure.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Api.Hosting;

/// <summary>
/// Turns every exception into the API's problem shape. Client mistakes map to 4xx by their kind,
/// never by endpoint; anything else is a 500 without internals, logged with its trace id.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>
    /// Space comes back by an operator's hand, not within seconds; this keeps clients from hammering a node that
    /// readiness has already taken out, without making them wait long once it is back.
    /// </summary>
    public const int StoreFullRetryAfterSeconds = 30;

    /// <summary>A restart or failover of the database takes seconds; clients come back soon, and readiness tells balancers meanwhile.</summary>
    public const int StoreUnavailableRetryAfterSeconds = 5;

    public const string StoreUnavailableDetail =
        "The store cannot be reached right now, so the request was not completed. Retry after Retry-After seconds, with the same Idempotency-Key where the operation takes one.";

    public const string StoreOutcomeUnknownDetail =
        "The store stopped answering while this change was being committed: it may or may not have been saved. Read it back before sending it again, or send it again with the same Idempotency-Key where the operation takes one.";

    public const string StoreFullDetail =
        "The store has no room for this write, so nothing of it was saved. Reads still work; retry after Retry-After seconds.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException e => Validation(e),
            DomainException e => Domain(e),
            BadHttpRequestException e => BadRequest(e),
            DbUpdateConcurrencyException => Domain(DomainException.StaleVersion()),
            DbUpdateException e when StoreErrors.IsUniqueViolation(e) => Problem(StatusCodes.Status409Conflict,
                ProblemCodes.Conflict, "Conflict", "Another request created the same resource at the same time. Read it and retry."),
            Application.Common.CommitOutcomeUnknownException => StoreOutcomeUnknown(httpContext),
            _ when StoreErrors.IsFull(exception) => StoreFull(httpContext),
            _ when StoreErrors.IsUnavailable(exception) => StoreUnavailable(httpContext),
            Application.Abstractions.Payments.ExchangeRateException e => RateUnavailable(httpContext, e),
            _ => null,
        };

        if (problem is null)
        {
            var traceId = System.Diagnostics.Activity.Current?.Id ?? httpContext.TraceIdentifier;
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path, traceId);
            problem = Problem(StatusCodes.Status500InternalServerError, ProblemCodes.ServerError, "Internal server error",
                "An unexpected error occurred. Quote the traceId when you report it.");
        }
        else
        {
            LogClientError(httpContext.Request.Method, httpContext.Request.Path, problem.Status ?? 0, (string)problem.Extensions["code"]!);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }

    private static HttpValidationProblemDetails Validation(ValidationException e)
    {
        var errors = e.Errors
            .GroupBy(f => FieldName(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = "One or more fields are invalid; see errors.",
        };
        problem.Extensions["code"] = ProblemCodes.ValidationFailed;
        return problem;
    }

    /// <summary>
    /// FluentValidation paths (<c>Body.CorsOrigins[0]</c>) to the JSON names a client sent (<c>corsOrigins[0]</c>).
    /// A command that wraps the request body names that property <c>Body</c>; it is not part of the client's path.
    /// </summary>
    internal static string FieldName(string propertyPath)
    {
        var segments = propertyPath.Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Where((s, i) => !(i == 0 && s == "Body"))
            .Select(s => JsonNamingPolicy.CamelCase.ConvertName(s));
        var name = string.Join('.', segments);
        return name.Length == 0 ? "body" : name;
    }

    private static ProblemDetails Domain(DomainException e)
    {
        var status = e.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
            ErrorKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
            ErrorKind.InvalidState => StatusCodes.Status422UnprocessableEntity,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        var title = e.Kind switch
        {
            ErrorKind.NotFound => "Not found",
            ErrorKind.Conflict => "Conflict",
            ErrorKind.PreconditionFailed => "Precondition failed",
            ErrorKind.PreconditionRequired => "Precondition required",
            ErrorKind.InvalidState => "Not allowed in the current state",
            ErrorKind.Forbidden => "Forbidden",
            _ => "Bad request",
        };
        return Problem(status, e.Code, title, e.Message);
    }

    private static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(e.StatusCode, ProblemCodes.BodyTooLarge, "Request body too large",
                "The request body is larger than this endpoint accepts.");
        }

        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return UnsupportedMediaType();
        }

        if (e.InnerException is JsonException json)
        {
            return Json(json);
        }

        return BindingFailure(e.Message);
    }

    private static ProblemDetails StoreFull(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = StoreFullRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StoreFull, "Store full", StoreFullDetail);
    }

    private static ProblemDetails StoreUnavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = StoreUnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StoreUnavailable, "Store unavailable", StoreUnavailableDetail);
    }

    private static ProblemDetails StoreOutcomeUnknown(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = StoreUnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StoreOutcomeUnknown, "Store outcome unknown", StoreOutcomeUnknownDetail);
    }

    /// <summary>No usable exchange rate: the provider is down (503, retry shortly) or does not quote the currency (422).</summary>
    private static ProblemDetails RateUnavailable(HttpContext httpContext, Application.Abstractions.Payments.ExchangeRateException e)
    {
        if (e.Code == Application.Abstractions.Payments.ExchangeRateErrors.UnsupportedCurrency)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, e.Code, "Not allowed in the current state",
                "The rate provider does not quote this site's currency; finance must change the offers' currency or the provider.");
        }

        httpContext.Response.Headers.RetryAfter = "30";
        return Problem(StatusCodes.Status503ServiceUnavailable, e.Code, "Exchange rate unavailable",
            "No fresh exchange rate could be read, so no price was locked and nothing was stored. Retry after Retry-After seconds.");
    }

    public static ProblemDetails UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "Unsupported media type",
            "Send the body as application/json in UTF-8 (no other media type or charset).");

    /// <summary>
    /// The framework's binding messages (<c>Failed to bind parameter "Nullable&lt;int&gt; limit" from "ten"</c>) name
    /// .NET types and echo the input; this says which parameter is wrong and what it takes, in the API's words.
    /// </summary>
    private static ProblemDetails BindingFailure(string message)
    {
        if (MissingBodyMessage().IsMatch(message))
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.MissingBody, "Missing body",
                "This operation needs a JSON request body (Content-Type: application/json).");
        }

        var parameter = BindingMessage().Match(message);
        if (!parameter.Success)
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidParameter, "Invalid request",
                "A parameter of this request is missing or has a value of the wrong type.");
        }

        var name = parameter.Groups["name"].Value;
        var detail = parameter.Groups["missing"].Success
            ? $"Parameter '{name}' is required."
            : $"Parameter '{name}' must be {Expected(parameter.Groups["type"].Value)}.";
        var problem = Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidParameter, "Invalid parameter", detail);
        problem.Extensions["parameter"] = name;
        return problem;
    }

    private static string Expected(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" => "an integer",
        "Guid" => "a GUID such as 01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f",
        "DateTime" or "DateTimeOffset" => "a date-time in ISO 8601, such as 2026-12-01T08:00:00Z",
        "bool" or "Boolean" => "true or false",
        "decimal" or "double" => "a number",
        _ => "a value of the documented type",
    };

    private static ProblemDetails Json(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        if (e is InvalidCharacterException)
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidCharacter, "Invalid character",
                $"The string at '{path}' holds {e.Message}, a control character or broken text; only tab and line breaks are allowed.");
        }

        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.UnknownProperty, "Unknown property",
                $"The property at '{path}' is not part of this request.");
        }

        if (message.StartsWith("Duplicate", StringComparison.Ordinal))
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.DuplicateProperty, "Duplicate property",
                $"The property at '{path}' appears more than once.");
        }

        const string missing = "missing required properties including: ";
        var at = message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemCodes.MissingProperty, "Missing property",
                $"Required properties are missing: {message[(at + missing.Length)..].TrimEnd('.')}.");
        }

        return Problem(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, "Malformed JSON",
            $"The request body is not valid JSON, or a value has the wrong type, at '{path}'.");
    }

    [GeneratedRegex("""^(Failed to bind parameter "(?<type>[^"]*) (?<name>[A-Za-z0-9_]+)" from|Required parameter "(?<type>[^"]*) (?<name>[A-Za-z0-9_]+)" was not (?<missing>provided))""")]
    private static partial Regex BindingMessage();

    [GeneratedRegex("""^(Implicit body inferred for parameter|Required parameter "[^"]*" was not provided from body)""")]
    private static partial Regex MissingBodyMessage();

    private static ProblemDetails Problem(int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (trace {TraceId})")]
    private partial void LogUnhandled(Exception exception, string method, PathString path, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} {Code}")]
    private partial void LogClientError(string method, PathString path, int status, string code);
}
