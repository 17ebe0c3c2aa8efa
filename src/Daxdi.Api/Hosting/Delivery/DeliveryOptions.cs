using System.ComponentModel.DataAnnotations;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>Configuration section <c>Delivery</c>: how public responses are cached, here and downstream.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary><c>Cache-Control: max-age</c> of public responses: how long browsers and CDNs may reuse them.</summary>
    [Range(0, 86400)]
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary><c>stale-while-revalidate</c>: how long a cache may serve a stale copy while it fetches a fresh one.</summary>
    [Range(0, 604800)]
    public int StaleWhileRevalidateSeconds { get; set; } = 300;

    /// <summary>Whether public responses are kept in the server's output cache (evicted on every change).</summary>
    public bool OutputCacheEnabled { get; set; } = true;

    /// <summary>Memory the output cache may use; when it is full, new responses are not cached until entries go.</summary>
    [Range(1, 4096)]
    public int OutputCacheSizeMegabytes { get; set; } = 64;

    /// <summary>The longest an unchanged response stays in the output cache.</summary>
    [Range(1, 86400)]
    public int OutputCacheSeconds { get; set; } = 600;
}
