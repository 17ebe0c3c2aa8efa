using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Declares what the shared pipeline answers for an operation, so no endpoint has to repeat it: 400 where a query or a
/// body is read, 401/403 and the bearer requirement where authorization applies, 413/415 where a body is read, 429 where
/// a rate limit applies, 500 and 503 everywhere. Every 4xx/5xx is the API's own problem shape
/// (<see cref="ProblemResponse"/>) with an example for its status, and every response declares the headers it carries.
/// </summary>
public sealed class StandardResponsesFilter : IOperationFilter
{
    public const string SecuritySchemeName = "bearer";
    private const string ProblemMediaType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemResponse), context.SchemaRepository);
        operation.Responses ??= [];

        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true || operation.RequestBody is not null)
        {
            Add(operation, "400");
        }

        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (authorized)
        {
            Add(operation, "401");
            Add(operation, "403");
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [],
            });
        }

        if (operation.RequestBody is not null)
        {
            Add(operation, "413");
            Add(operation, "415");
        }

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
        {
            Add(operation, "429");
        }

        Add(operation, "500");
        Add(operation, "503");

        foreach (var (key, declared) in operation.Responses.ToList())
        {
            var status = int.Parse(key, CultureInfo.InvariantCulture);
            if (status >= 400)
            {
                operation.Responses[key] = ProblemReference(context.Document, status, problem);
            }
            else
            {
                DeclareHeaders(context.Document, (OpenApiResponse)declared, Headers(status, metadata, authorized));
            }
        }
    }

    /// <summary>
    /// Problems are the same for every operation, so each status is declared once under
    /// <c>components/responses/Problem{status}</c>, with its example and headers, and referred to.
    /// </summary>
    private static OpenApiResponseReference ProblemReference(OpenApiDocument document, int status, IOpenApiSchema problem)
    {
        var id = $"Problem{status}";
        document.Components ??= new OpenApiComponents();
        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal);
        if (!document.Components.Responses.ContainsKey(id))
        {
            var response = new OpenApiResponse
            {
                Description = ProblemDescription(status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemMediaType] = new() { Schema = problem, Example = ProblemExample(status) },
                },
            };
            DeclareHeaders(document, response, Headers(status, [], admin: false));
            document.Components.Responses[id] = response;
        }

        return new OpenApiResponseReference(id, document);
    }

    /// <summary>The headers a response with <paramref name="status"/> carries, endpoint-specific ones first.</summary>
    private static IEnumerable<ResponseHeader> Headers(int status, IList<object> metadata, bool admin)
    {
        foreach (var declared in metadata.OfType<ResponseHeaderMetadata>().Where(m => m.Statuses.Contains(status)))
        {
            yield return declared.Header;
        }

        if (status is StatusCodes.Status201Created or StatusCodes.Status301MovedPermanently)
        {
            yield return ResponseHeaders.Location;
        }

        if (status is StatusCodes.Status401Unauthorized)
        {
            yield return ResponseHeaders.WwwAuthenticate;
        }

        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            yield return ResponseHeaders.RetryAfter;
        }

        foreach (var header in admin ? ResponseHeaders.OnEveryAdminResponse : [])
        {
            yield return header;
        }

        if (status >= 400 && !admin)
        {
            yield return ResponseHeaders.ErrorCacheControl;
            yield return ResponseHeaders.Pragma;
            yield return ResponseHeaders.Expires;
        }

        foreach (var header in ResponseHeaders.OnEveryResponse)
        {
            yield return header;
        }
    }

    /// <summary>Declares each header once under <c>components/headers</c> and refers to it from the response.</summary>
    private static void DeclareHeaders(OpenApiDocument document, OpenApiResponse response, IEnumerable<ResponseHeader> headers)
    {
        foreach (var header in headers)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            document.Components.Headers.TryAdd(header.Id, header.ToOpenApi());
            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.OrdinalIgnoreCase);
            response.Headers.TryAdd(header.Name, new OpenApiHeaderReference(header.Id, document));
        }
    }

    private static void Add(OpenApiOperation operation, string status) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse());

    private static string ProblemDescription(int status) => status switch
    {
        400 => "The request is invalid: validation, malformed JSON, a bad or missing parameter or body.",
        401 => "No credential, or an invalid or revoked one.",
        403 => "The credential's role may not use this operation.",
        404 => "The resource, or the site it belongs to, does not exist.",
        409 => "The request conflicts with the current state: a key or slug in use, a resource still in use.",
        412 => "`If-Match` does not match the resource's current version (`request.version_mismatch`).",
        413 => "The request body is larger than allowed.",
        415 => "The body is not `application/json` (UTF-8).",
        422 => "The request is valid, but the resource's current state forbids it.",
        428 => "This operation requires `If-Match` with the resource's current ETag (`request.if_match_required`).",
        429 => "Rate limit exceeded; retry after `Retry-After` seconds.",
        500 => "Unexpected server error; the body carries a `traceId`.",
        503 => "The server cannot serve the request now (`server.overloaded`: it is at capacity; `store.unavailable`: the store cannot be reached, nothing was saved; `store.outcome_unknown`: the store stopped answering during the commit, so the change may be saved, read it back first; `store.full`: the store has no room left); retry after `Retry-After` seconds.",
        _ => ReasonPhrases.GetReasonPhrase(status) + ".",
    };

    /// <summary>A problem as the API answers it with this status, for the document's examples.</summary>
    private static JsonObject ProblemExample(int status)
    {
        var (code, detail) = status switch
        {
            400 => (ProblemCodes.ValidationFailed, "One or more fields are invalid; see errors."),
            401 => (ProblemCodes.Unauthenticated, "This endpoint needs an API key or token: send 'Authorization: Bearer <key>'."),
            403 => (ProblemCodes.Forbidden, "Your credential is valid but its role may not use this endpoint."),
            404 => ("site.not_found", "No site with key 'daxdi'."),
            409 => (ProblemCodes.Conflict, "Another request created the same resource at the same time. Read it and retry."),
            412 => ("request.version_mismatch", "The resource was changed since you read it. Fetch it again and retry with the new ETag."),
            422 => ("article.invalid_transition", "Cannot archive an article that is draft (allowed from: published); it would become archived."),
            428 => ("request.if_match_required", "This operation requires an If-Match header with the resource's current ETag."),
            429 => (ProblemCodes.RateLimited, "Rate limit exceeded; retry after 30 s."),
            503 => (ProblemCodes.StoreFull, ApiExceptionHandler.StoreFullDetail),
            _ => (ProblemCodes.ForStatus(status), ReasonPhrases.GetReasonPhrase(status) + "."),
        };
        var example = new JsonObject
        {
            ["type"] = ProblemCodes.TypeUri(code),
            ["title"] = status == 400 ? "Validation failed" : ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (status == 400)
        {
            example["errors"] = new JsonObject { ["title"] = new JsonArray("'title' must not be empty.") };
        }

        example["code"] = code;
        example["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        return example;
    }
}
