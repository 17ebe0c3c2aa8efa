using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Documents the <c>If-Match</c> header on operations that read it, so clients (and Swagger UI's
/// "Try it out") can send the ETag they read.
/// </summary>
public sealed class IfMatchHeaderFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var ifMatch = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IfMatchMetadata>().LastOrDefault();
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
