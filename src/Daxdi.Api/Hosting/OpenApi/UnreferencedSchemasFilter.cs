using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Drops component schemas that no operation or webhook reaches (e.g. the framework's <c>ProblemDetails</c>, which
/// <see cref="StandardResponsesFilter"/> replaces with the API's own problem shape).
/// </summary>
public sealed class UnreferencedSchemasFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        if (swaggerDoc.Components?.Schemas is not { } schemas)
        {
            return;
        }

        var operations = SchemaGraph.Operations(swaggerDoc).ToList();
        var used = SchemaGraph.Reachable(
            operations.SelectMany(SchemaGraph.Bodies).Concat(SchemaGraph.WebhookBodies(swaggerDoc)).Select(m => m.Schema)
                .Concat(operations.SelectMany(o => o.Parameters ?? []).Select(p => p.Schema))
                .Concat((swaggerDoc.Components.Responses?.Values ?? []).SelectMany(r => r.Content?.Values ?? []).Select(m => m.Schema)),
            schemas);
        foreach (var id in schemas.Keys.Where(id => !used.Contains(id)).ToList())
        {
            schemas.Remove(id);
        }
    }
}
