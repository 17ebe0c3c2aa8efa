using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Documents the conditional headers an operation reads: <c>If-Match</c> on writes that check a version, so clients
/// (and Swagger UI's "Try it out") can send the ETag they read, and <c>If-None-Match</c> on public reads (304).
/// </summary>
public sealed class IfMatchHeaderFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IfNoneMatchMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Description = "An ETag of this response you hold, quotes included; when it is still current the answer is 304 without a body.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = JsonValue.Create("\"hV0pC2x9r1s8mJ3kQw5tYg\""),
            });
        }

        var ifMatch = metadata.OfType<IfMatchMetadata>().LastOrDefault();
        if (ifMatch is null)
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = ifMatch.Required,
            Description = ifMatch.Required
                ? "The resource's current ETag, quotes included (e.g. \"3\"). Without it: 428; stale: 412."
                : "The ETag you read, quotes included (e.g. \"3\"); when sent and stale: 412.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create("\"1\""),
        });
    }
}

/// <summary>Endpoint metadata: the operation answers 304 to an <c>If-None-Match</c> that matches its ETag.</summary>
public sealed record IfNoneMatchMetadata;
