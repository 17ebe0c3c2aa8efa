using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

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
/// Applies the body size limit before any endpoint reads the body: a declared <c>Content-Length</c> over the
/// limit answers 413 at once; a chunked body is cut off by the server at the same limit.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, ApiOptions options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge,
                "Request body too large", $"The request body is larger than this endpoint accepts ({limit} bytes).");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(http);
    }
}
