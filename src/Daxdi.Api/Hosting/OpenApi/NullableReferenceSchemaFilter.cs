using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// A nullable property whose type is a component (<c>TermRef? Section</c>) becomes <c>oneOf [$ref, {type: null}]</c>.
/// Swashbuckle writes a bare <c>$ref</c> for it, which tells clients the value is never null.
/// </summary>
public sealed class NullableReferenceSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target)
        {
            return;
        }

        var nullability = new NullabilityInfoContext();
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (target.Properties.TryGetValue(name, out var declared) && declared is OpenApiSchemaReference reference
                && nullability.Create(property).ReadState == NullabilityState.Nullable)
            {
                target.Properties[name] = new OpenApiSchema
                {
                    Description = reference.Description,
                    OneOf = [new OpenApiSchemaReference(reference.Reference.Id!), new OpenApiSchema { Type = JsonSchemaType.Null }],
                };
            }
        }
    }
}
