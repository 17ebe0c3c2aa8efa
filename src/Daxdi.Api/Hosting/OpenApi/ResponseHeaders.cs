using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>A response header as the OpenAPI document declares it (once, under <c>components/headers/{Id}</c>).</summary>
/// <param name="Id">Its key under <c>components/headers</c>; one per name and meaning.</param>
/// <param name="Required">Sent on every response it is declared on (false: may be sent).</param>
/// <param name="Pattern">A regular expression the value matches, when it has a fixed shape.</param>
/// <param name="InSeconds">The value is a whole number of seconds (<c>Retry-After</c>).</param>
public sealed record ResponseHeader(string Id, string Name, string Description, bool Required, string Example, string? Pattern = null, bool InSeconds = false)
{
    public OpenApiHeader ToOpenApi() => new()
    {
        Description = Description,
        Required = Required,
        Schema = InSeconds
            ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" }
            : new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Pattern },
        Example = InSeconds ? JsonValue.Create(int.Parse(Example, System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(Example),
    };
}

/// <summary>
/// The response headers the API sends, declared once. The code that sends a header and the document that declares it
/// meet here: endpoints name theirs with <see cref="ResponseHeaderConventions"/>, the pipeline's own are added by
/// <see cref="StandardResponsesFilter"/>, and the contract test fails when a response sends one that is not declared.
/// </summary>
public static class ResponseHeaders
{
    public static readonly ResponseHeader ETag = new("ETag", "ETag",
        "Strong entity tag of the resource as returned; send it back as `If-Match` (writes) or `If-None-Match` (public reads).",
        Required: true, "\"3\"", Pattern: "^\"[^\"]+\"$");

    public static readonly ResponseHeader Location = new("Location", "Location",
        "URL of the created resource, or of the article's current slug on a redirect.", Required: true, "/api/v1/admin/articles/01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f");

    public static readonly ResponseHeader PublicCacheControl = new("PublicCacheControl", "Cache-Control",
        "How long shared caches may keep the response (`Delivery:MaxAgeSeconds`, `Delivery:StaleWhileRevalidateSeconds`).",
        Required: true, "public, max-age=60, stale-while-revalidate=300", Pattern: "^public, max-age=[0-9]+, stale-while-revalidate=[0-9]+$");

    public static readonly ResponseHeader PrivateCacheControl = new("PrivateCacheControl", "Cache-Control",
        "A visitor's own state: browsers may keep it but must revalidate it (send the `ETag` as `If-None-Match`); shared caches must not keep it.",
        Required: true, "no-cache, private", Pattern: "^(no-cache, private|private, no-cache)$");

    public static readonly ResponseHeader SurrogateKey = new("SurrogateKey", "Surrogate-Key",
        "Space-separated cache tags; a CDN can purge by the same keys that evict the server's output cache.",
        Required: true, "site:daxdi article:01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f");

    public static readonly ResponseHeader VaryOrigin = new("VaryOrigin", "Vary",
        "The response varies with the `Origin` header (per-site CORS).", Required: true, "Origin");

    public static readonly ResponseHeader Age = new("Age", "Age",
        "Seconds since the server's output cache stored the response; sent when it was served from that cache.", Required: false, "4", InSeconds: true);

    public static readonly ResponseHeader RetryAfter = new("RetryAfter", "Retry-After",
        "Seconds to wait before trying again.", Required: true, "30", InSeconds: true);

    public static readonly ResponseHeader WwwAuthenticate = new("WwwAuthenticate", "WWW-Authenticate",
        "The authentication scheme to use; `error=\"invalid_token\"` when a credential was sent but is not valid.",
        Required: true, "Bearer realm=\"daxdi\"", Pattern: "^Bearer ");

    public static readonly ResponseHeader ErrorCacheControl = new("ErrorCacheControl", "Cache-Control",
        "Errors raised while handling the request are not to be cached.", Required: false, "no-cache,no-store");

    public static readonly ResponseHeader Pragma = new("Pragma", "Pragma", "HTTP/1.0 form of `Cache-Control: no-cache`, sent with it.", Required: false, "no-cache");

    public static readonly ResponseHeader Expires = new("Expires", "Expires", "Sent with `Cache-Control: no-cache` on errors: already expired.", Required: false, "-1");

    /// <summary>Headers on every response of every operation (sent by <c>TransportSecurity</c>).</summary>
    public static readonly IReadOnlyList<ResponseHeader> OnEveryResponse =
    [
        new("XContentTypeOptions", "X-Content-Type-Options", "Browsers must not guess the media type.", Required: true, "nosniff"),
        new("ReferrerPolicy", "Referrer-Policy", "What browsers send as `Referer` from this response.", Required: true, "no-referrer"),
    ];

    /// <summary>Headers on every response of an admin operation.</summary>
    public static readonly IReadOnlyList<ResponseHeader> OnEveryAdminResponse =
    [
        new("AdminCacheControl", "Cache-Control", "Admin responses are never stored by a cache: they carry drafts and new API keys.", Required: true, "no-store"),
    ];
}

/// <summary>Endpoint metadata: the operation sends <paramref name="Header"/> on its responses with a status in <paramref name="Statuses"/>.</summary>
public sealed record ResponseHeaderMetadata(ResponseHeader Header, IReadOnlyList<int> Statuses);

public static class ResponseHeaderConventions
{
    /// <summary>The success response carries the resource's version as a strong <c>ETag</c> (set by <see cref="VersionETagFilter"/>).</summary>
    public static RouteHandlerBuilder ProducesETag(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new ResponseHeaderMetadata(ResponseHeaders.ETag, [StatusCodes.Status200OK, StatusCodes.Status201Created]))
        .AddEndpointFilter<VersionETagFilter>();

    /// <summary>
    /// Public reads: <c>Cache-Control</c> and <c>Vary</c> on 200, 301 and 304, <c>Surrogate-Key</c> on 200 and 301 (and on a
    /// 304 the endpoint answered itself, not on one from the output cache), a strong <c>ETag</c> (a hash of the bytes) on
    /// 200 and 304, and <c>Age</c> when the output cache answered.
    /// </summary>
    public static TBuilder ProducesPublicCaching<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        int[] all = [StatusCodes.Status200OK, StatusCodes.Status301MovedPermanently, StatusCodes.Status304NotModified];
        int[] content = [StatusCodes.Status200OK, StatusCodes.Status304NotModified];
        return builder.WithMetadata(
            new IfNoneMatchMetadata(),
            new ResponseHeaderMetadata(ResponseHeaders.PublicCacheControl, all),
            new ResponseHeaderMetadata(ResponseHeaders.VaryOrigin, all),
            new ResponseHeaderMetadata(ResponseHeaders.SurrogateKey, [StatusCodes.Status200OK, StatusCodes.Status301MovedPermanently]),
            new ResponseHeaderMetadata(ResponseHeaders.SurrogateKey with { Id = "SurrogateKeyOn304", Required = false }, [StatusCodes.Status304NotModified]),
            new ResponseHeaderMetadata(ResponseHeaders.Age, all),
            new ResponseHeaderMetadata(ResponseHeaders.ETag, content));
    }

    /// <summary>The answer carries a secret shown once (a payment intent's client secret): <c>Cache-Control: no-store</c>.</summary>
    public static RouteHandlerBuilder ProducesNoStore(this RouteHandlerBuilder builder, int status) => builder.WithMetadata(
        new ResponseHeaderMetadata(new ResponseHeader("SecretCacheControl", "Cache-Control",
            "The answer carries a secret shown once: no cache may store it.", Required: true, "no-store"), [status]));

    /// <summary>A visitor's own state: <c>Cache-Control: private, no-cache</c> and a strong <c>ETag</c> on 200 and 304.</summary>
    public static TBuilder ProducesPrivateCaching<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        int[] content = [StatusCodes.Status200OK, StatusCodes.Status304NotModified];
        return builder.WithMetadata(
            new IfNoneMatchMetadata(),
            new ResponseHeaderMetadata(ResponseHeaders.PrivateCacheControl, content),
            new ResponseHeaderMetadata(ResponseHeaders.ETag, content));
    }
}
