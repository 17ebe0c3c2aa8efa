using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Hosting;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest request body accepted, unless an endpoint declares its own limit.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// What a request body may be, checked before any endpoint reads it. A declared <c>Content-Length</c> over the limit
/// answers 413 at once; a chunked body is cut off by the server at the same limit. A body must be sent as one of the
/// media types the endpoint declares, exactly, and in UTF-8: the framework would also read <c>application/*+json</c>
/// and ignore the charset, so a client's mistake would be taken for what it did not mean.
/// </summary>
public sealed class RequestBodyMiddleware(RequestDelegate next, ApiOptions options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge,
                "Request body too large", $"The request body is larger than this endpoint accepts ({limit} bytes).");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts && http.Request.ContentType is { } contentType)
        {
            var ownCharset = endpoint.Metadata.GetMetadata<DecodesItsCharset>() is not null;
            var accepted = Accepted(contentType, accepts.ContentTypes, ownCharset);
            if (accepted is null)
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http, ProblemDetails = ApiExceptionHandler.UnsupportedMediaType(),
                }).AsTask();
            }

            // The framework cannot read a quoted charset (charset="UTF-8": a 500); what was accepted is UTF-8 anyway.
            if (!ownCharset)
            {
                http.Request.ContentType = accepted;
            }
        }

        return next(http);
    }

    private static string? Accepted(string contentType, IReadOnlyList<string> accepted, bool anyCharset) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (anyCharset || type.Charset.Length == 0 || HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            ? accepted.FirstOrDefault(a => type.MediaType.Equals(a, StringComparison.OrdinalIgnoreCase))
            : null;
}

/// <summary>
/// Endpoint metadata: the endpoint reads its body as bytes and decodes the charset the client names itself (a scraped
/// page in ISO-8859-1 is still a page), so the UTF-8 rule of <see cref="RequestBodyMiddleware"/> does not apply.
/// </summary>
public sealed class DecodesItsCharset;
