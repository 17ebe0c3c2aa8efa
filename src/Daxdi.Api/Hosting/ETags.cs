using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
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
    public static int? ParseIfMatch(HttpRequest request)
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
}

/// <summary>
/// The version a client expects (<c>If-Match</c>), as an endpoint that declares <see cref="IfMatchMetadata"/> takes it.
/// <see cref="IfMatchFilter"/> supplies it.
/// </summary>
/// <param name="Value"><c>null</c> when <c>If-Match</c> was absent or <c>*</c> on an operation that accepts it without requiring it.</param>
public sealed record ExpectedVersion(int? Value)
{
    private static readonly ExpectedVersion Unread = new((int?)null);

    /// <summary>The version on an operation that requires <c>If-Match</c>: the filter has answered 428 without one.</summary>
    public int Required => Value ?? throw new InvalidOperationException("The endpoint reads a required If-Match but does not declare RequiresIfMatch.");

    /// <summary>
    /// A placeholder. Binding runs before the body and the query are read; <see cref="IfMatchFilter"/> reads
    /// <c>If-Match</c> after them, so a malformed request is a 400 before its precondition is looked at.
    /// </summary>
    public static ValueTask<ExpectedVersion?> BindAsync(HttpContext context) => ValueTask.FromResult<ExpectedVersion?>(Unread);
}

/// <summary>Endpoint metadata: the operation reads <c>If-Match</c>; documented as a header parameter.</summary>
public sealed record IfMatchMetadata(bool Required);

/// <summary>
/// Reads <c>If-Match</c> as the endpoint's <see cref="IfMatchMetadata"/> says, once the request is bound: 428 when it is
/// required and absent, 412 when it is weak or malformed (the handler answers 412 when it is stale). Hands the version to
/// the endpoint's <see cref="ExpectedVersion"/> parameter.
/// </summary>
public static class IfMatchFilter
{
    /// <summary>The filter for one endpoint; an endpoint that declares <c>If-Match</c> without taking the version fails as it is built.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(ExpectedVersion));
        if (index < 0)
        {
            throw new InvalidOperationException($"'{factory.MethodInfo.Name}' declares If-Match but takes no {nameof(ExpectedVersion)}.");
        }

        return invocation =>
        {
            var declared = invocation.HttpContext.GetEndpoint()!.Metadata.GetRequiredMetadata<IfMatchMetadata>();
            var version = ETags.ParseIfMatch(invocation.HttpContext.Request);
            if (declared.Required && version is null)
            {
                throw DomainException.VersionRequired();
            }

            invocation.Arguments[index] = new ExpectedVersion(version);
            return next(invocation);
        };
    }
}

/// <summary>
/// Sets the <c>ETag</c> response header from the version of the resource the endpoint returns (<see cref="IVersioned"/>),
/// on the endpoints that declare it (<see cref="ResponseHeaderConventions.ProducesETag"/>).
/// </summary>
public sealed class VersionETagFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        context.HttpContext.Response.Headers.ETag = result is IValueHttpResult { Value: IVersioned resource }
            ? ETags.For(resource.Version)
            : throw new InvalidOperationException("An endpoint that declares an ETag returns a versioned resource.");
        return result;
    }
}

public static class IfMatchConventions
{
    /// <summary>The operation refuses to run without <c>If-Match</c> (428) and with a stale one (412).</summary>
    public static RouteHandlerBuilder RequiresIfMatch(this RouteHandlerBuilder builder) => builder
        .ReadsIfMatch(required: true)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>The operation checks <c>If-Match</c> when sent (412 if stale).</summary>
    public static RouteHandlerBuilder AcceptsIfMatch(this RouteHandlerBuilder builder) => builder
        .ReadsIfMatch(required: false)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static RouteHandlerBuilder ReadsIfMatch(this RouteHandlerBuilder builder, bool required) => builder
        .WithMetadata(new IfMatchMetadata(required))
        .AddEndpointFilterFactory(IfMatchFilter.Create);
}
