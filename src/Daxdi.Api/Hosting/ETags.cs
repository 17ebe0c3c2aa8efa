using Daxdi.Domain.Common;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Hosting;

/// <summary>Strong ETags from concurrency versions, and <c>If-Match</c> parsing.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>
    /// The version the client expects, from <c>If-Match</c>: <c>null</c> when absent or <c>*</c>.
    /// A weak or malformed tag can never match strongly, so it is a failed precondition (412).
    /// </summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        if (EntityTagHeaderValue.TryParse(header, out var tag) && !tag.IsWeak
            && int.TryParse(tag.Tag.AsSpan().Trim('"'), System.Globalization.NumberStyles.None, null, out var version))
        {
            return version;
        }

        throw DomainException.StaleVersion();
    }

    /// <summary>Like <see cref="ExpectedVersion"/>, for operations that must not run without <c>If-Match</c> (428).</summary>
    public static int RequiredVersion(HttpRequest request) =>
        ExpectedVersion(request) ?? throw DomainException.VersionRequired();
}

/// <summary>Endpoint metadata: the operation reads <c>If-Match</c>; documented as a header parameter.</summary>
public sealed record IfMatchMetadata(bool Required);

public static class IfMatchConventions
{
    /// <summary>The operation refuses to run without <c>If-Match</c> (428) and with a stale one (412).</summary>
    public static RouteHandlerBuilder RequiresIfMatch(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new IfMatchMetadata(Required: true))
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>The operation checks <c>If-Match</c> when sent (412 if stale).</summary>
    public static RouteHandlerBuilder AcceptsIfMatch(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new IfMatchMetadata(Required: false))
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
