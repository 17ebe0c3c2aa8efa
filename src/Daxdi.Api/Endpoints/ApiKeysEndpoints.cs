using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application.Common;
using Daxdi.Application.Features.ApiKeys;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Daxdi.Api.Endpoints;

/// <summary>Admin: API keys (admin role only).</summary>
public static class ApiKeysEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("", Create).WithName("createApiKey");
        keys.MapGet("", List).WithName("listApiKeys");
        keys.MapGet("/{id:guid}", Get).WithName("getApiKey").ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapDelete("/{id:guid}", Revoke).WithName("revokeApiKey")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Create an API key.</summary>
    /// <remarks>The secret (<c>key</c>) is in this response only; Daxdi stores a hash of it. Keep it in a secret store.</remarks>
    /// <response code="201">The key, with its secret.</response>
    public static async Task<Created<CreatedApiKey>> Create(CreateApiKey body, ISender sender, CancellationToken ct)
    {
        var key = await sender.Send(body, ct);
        return TypedResults.Created($"/api/v1/admin/api-keys/{key.Id}", key);
    }

    /// <summary>List API keys, newest first (never their secrets).</summary>
    /// <remarks>Revoked keys are listed with <c>revokedAt</c> set. Keyset pagination with <c>cursor</c>/<c>nextCursor</c>.</remarks>
    /// <param name="limit">Page size, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <response code="200">One page of keys.</response>
    public static async Task<Ok<Page<ApiKeyDto>>> List(ISender sender, CancellationToken ct,
        [Range(1, ListLimits.MaxLimit), DefaultValue(ListLimits.DefaultLimit)] int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListApiKeys(limit ?? ListLimits.DefaultLimit, cursor), ct));

    /// <summary>Read an API key (never its secret).</summary>
    /// <remarks>Shows the key's prefix, role, and when it was created, last used and revoked.</remarks>
    /// <param name="id">The key's id.</param>
    /// <response code="200">The key, with its version as <c>ETag</c>.</response>
    public static async Task<Ok<ApiKeyDto>> Get(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetApiKey(id), ct));

    /// <summary>Revoke an API key.</summary>
    /// <remarks>The key stops working at once. Revoking a revoked key answers 422 <c>api_key.already_revoked</c>.</remarks>
    /// <param name="id">The key's id.</param>
    /// <response code="204">Revoked.</response>
    public static async Task<NoContent> Revoke(Guid id, ISender sender, CancellationToken ct)
    {
        await sender.Send(new RevokeApiKey(id), ct);
        return TypedResults.NoContent();
    }
}
