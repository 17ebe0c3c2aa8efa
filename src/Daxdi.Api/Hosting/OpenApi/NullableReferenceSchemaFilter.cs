using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// A nullable property whose type is a component (<c>TermRef? Section</c>) becomes <c>oneOf [$ref, {type: null}]</c>.
/// Swashbuckle writes it as <c>{type: null, allOf: [$ref]}</c>, which no value satisfies, or as a bare <c>$ref</c>,
/// which tells clients the value is never null. The property's description and example are kept.
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
            if (target.Properties.TryGetValue(name, out var declared) && Referenced(declared) is { } id
                && nullability.Create(property).ReadState == NullabilityState.Nullable)
            {
                target.Properties[name] = new OpenApiSchema
                {
                    Description = declared.Description,
                    Example = declared.Example,
                    OneOf = [new OpenApiSchemaReference(id), new OpenApiSchema { Type = JsonSchemaType.Null }],
                };
            }
        }
    }

    /// <summary>The component a property schema stands for: a <c>$ref</c>, or an <c>allOf</c> of one <c>$ref</c>.</summary>
    private static string? Referenced(IOpenApiSchema schema) => schema switch
    {
        OpenApiSchemaReference reference => reference.Reference.Id,
        OpenApiSchema { AllOf: [OpenApiSchemaReference only] } => only.Reference.Id,
        _ => null,
    };
}
