using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Declares the errors that the shared pipeline can answer for an operation, so no endpoint has to repeat them:
/// 400 for any input, 401/403 and the bearer requirement where authorization applies,
/// 413/415 where a body is read, 429 where a rate limit applies, and 500 everywhere.
/// </summary>
public sealed class StandardResponsesFilter : IOperationFilter
{
    public const string SecuritySchemeName = "bearer";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemResponse), context.SchemaRepository);
        operation.Responses ??= [];

        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            Add(operation, problem, "400", "The request is invalid (validation, malformed JSON, bad parameter).");
        }

        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (authorized)
        {
            Add(operation, problem, "401", "No credential, or an invalid or revoked one.");
            Add(operation, problem, "403", "The credential's role may not use this operation.");
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [],
            });
        }

        if (operation.RequestBody is not null)
        {
            Add(operation, problem, "413", "The request body is larger than allowed.");
            Add(operation, problem, "415", "The body is not application/json.");
        }

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
        {
            Add(operation, problem, "429", "Rate limit exceeded; see Retry-After.");
        }

        Add(operation, problem, "500", "Unexpected server error; the body carries a traceId.");
    }

    private static void Add(OpenApiOperation operation, IOpenApiSchema problem, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }
}
