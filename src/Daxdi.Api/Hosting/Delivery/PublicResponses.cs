using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>
/// Writes a public response: JSON with a strong ETag (a hash of the exact bytes), 304 for a matching
/// <c>If-None-Match</c>, <c>Cache-Control</c>, <c>Vary</c>, and the cache tags as <c>Surrogate-Key</c> so a CDN can purge
/// by the same keys that evict the server's output cache.
/// </summary>
public sealed class PublicResponses(IPublicJson json, DeliveryOptions options)
{
    public const string SurrogateKeyHeader = "Surrogate-Key";

    private readonly string _cacheControl =
        $"public, max-age={options.MaxAgeSeconds}, stale-while-revalidate={options.StaleWhileRevalidateSeconds}";

    public IResult Json(HttpContext http, object value, Type type, params string[] tags) =>
        Json(http, json.Render(value, type), tags);

    /// <summary>JSON rendered before (a stored document), sent as it is.</summary>
    public IResult Json(HttpContext http, RenderedJson rendered, params string[] tags)
    {
        Describe(http, tags);
        return WithETag(http, rendered);
    }

    /// <summary>A visitor's own state (their consent): revalidated at every use, never kept by a shared cache.</summary>
    public IResult Private(HttpContext http, object value, Type type)
    {
        http.Response.Headers.CacheControl = "private, no-cache";
        return WithETag(http, json.Render(value, type));
    }

    private static IResult WithETag(HttpContext http, RenderedJson rendered)
    {
        var etag = new EntityTagHeaderValue(rendered.ETag);
        http.Response.Headers.ETag = rendered.ETag;

        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(rendered.Bytes, "application/json; charset=utf-8");
    }

    /// <summary>A permanent redirect from a former slug, cacheable like the content it points to.</summary>
    public IResult MovedPermanently(HttpContext http, string location, params string[] tags)
    {
        Describe(http, tags);
        return Results.Redirect(location + http.Request.QueryString, permanent: true);
    }

    private void Describe(HttpContext http, string[] tags)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = _cacheControl;
        headers.Vary = "Origin";
        headers[SurrogateKeyHeader] = string.Join(' ', tags);
        if (http.Features.Get<IOutputCacheFeature>() is { } cache)
        {
            cache.Context.Tags.UnionWith(tags);
        }
    }
}
