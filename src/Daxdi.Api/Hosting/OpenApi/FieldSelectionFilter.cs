using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Endpoint metadata: with the query parameter <paramref name="Parameter"/> (a comma-separated list of
/// <paramref name="Allowed"/> names), each list item holds only the named properties of <paramref name="Item"/>.
/// </summary>
public sealed record FieldSelectionMetadata(Type Item, string Parameter, IReadOnlyList<string> Allowed);

/// <summary>
/// Declares the page a <c>?fields=</c> list answers: items with any subset of the full item's properties
/// (<c>{Item}Selection</c>, nothing required), beside the page it answers without <c>fields</c>.
/// </summary>
public sealed class FieldSelectionFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var selection = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FieldSelectionMetadata>().LastOrDefault();
        if (selection is null || operation.Responses?.TryGetValue("200", out var ok) != true
            || ok!.Content?.TryGetValue("application/json", out var media) != true)
        {
            return;
        }

        if (operation.Parameters?.FirstOrDefault(p => p.Name == selection.Parameter)?.Schema is OpenApiSchema parameter)
        {
            var name = $"({string.Join('|', selection.Allowed)})";
            parameter.Pattern = $"^{name}(,{name})*$";
        }

        var repository = context.SchemaRepository;
        var item = (OpenApiSchemaReference)context.SchemaGenerator.GenerateSchema(selection.Item, repository);
        var full = (OpenApiSchema)repository.Schemas[item.Reference.Id!];
        var id = item.Reference.Id + "Selection";
        if (!repository.Schemas.ContainsKey(id))
        {
            repository.AddDefinition(id, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"A list item narrowed by `fields`: exactly the properties named there, each as in {item.Reference.Id}.",
                Properties = new Dictionary<string, IOpenApiSchema>(full.Properties!),
                AdditionalPropertiesAllowed = false,
            });
            repository.AddDefinition(id + "Page", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "One page of a list narrowed by `fields`.",
                Required = new SortedSet<string>(StringComparer.Ordinal) { "items", "nextCursor" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["items"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(id), Description = "The items of this page, in list order.",
                    },
                    ["nextCursor"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String | JsonSchemaType.Null,
                        Description = "Pass as `cursor` to get the next page; `null` on the last page.",
                    },
                },
                AdditionalPropertiesAllowed = false,
            });
        }

        media!.Schema = new OpenApiSchema
        {
            Description = $"Without `fields`, the full page; with `fields`, a {id}Page.",
            AnyOf = [media.Schema!, new OpenApiSchemaReference(id + "Page")],
        };
    }
}
