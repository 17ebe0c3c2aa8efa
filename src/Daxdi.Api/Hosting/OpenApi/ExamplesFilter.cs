using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Gives every request and response body (and webhook body) an example, assembled from the examples of its properties (the XML
/// <c>&lt;example&gt;</c> tags) and, where a property has none, <c>null</c> if it may be null, else a value of its
/// type and format. Bodies that already have one (the problems, with their status) keep it.
/// </summary>
public sealed class ExamplesFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var components = swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var media in SchemaGraph.Operations(swaggerDoc).SelectMany(SchemaGraph.Bodies).Concat(SchemaGraph.WebhookBodies(swaggerDoc)))
        {
            if (media.Example is null && media.Schema is not null)
            {
                media.Example = Example(media.Schema, components, []);
            }
        }
    }

    /// <param name="expanding">The components being expanded: a schema that contains itself ends there, as null.</param>
    private static JsonNode? Example(IOpenApiSchema schema, IDictionary<string, IOpenApiSchema> components, HashSet<string> expanding)
    {
        if (schema is OpenApiSchemaReference reference)
        {
            var id = reference.Reference.Id!;
            if (!components.TryGetValue(id, out var target) || !expanding.Add(id))
            {
                return null;
            }

            var example = Example(target, components, expanding);
            expanding.Remove(id);
            return example;
        }

        if (schema.Example is not null)
        {
            return schema.Example.DeepClone();
        }

        if ((schema.OneOf is { Count: > 0 } ? schema.OneOf : schema.AnyOf) is { Count: > 0 } choices)
        {
            var branch = choices.FirstOrDefault(c => c.Type != JsonSchemaType.Null) ?? choices[0];
            return Example(branch, components, expanding);
        }

        if (schema.AllOf is [var only])
        {
            return Example(only, components, expanding);
        }

        if (schema.Type is { } nullable && nullable.HasFlag(JsonSchemaType.Null))
        {
            return null; // a nullable value without an example of its own: null is what most responses hold
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        var type = schema.Type ?? (schema.Properties is not null ? JsonSchemaType.Object : JsonSchemaType.Null);
        if (type.HasFlag(JsonSchemaType.Object))
        {
            var example = new JsonObject();
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                example[name] = Example(property, components, expanding);
            }

            if (schema.Properties is null && schema.AdditionalProperties is { } values2)
            {
                example["name"] = Example(values2, components, expanding);
            }

            return example;
        }

        if (type.HasFlag(JsonSchemaType.Array))
        {
            return schema.Items is null ? new JsonArray() : new JsonArray(Example(schema.Items, components, expanding));
        }

        if (type.HasFlag(JsonSchemaType.String))
        {
            return schema.Format switch
            {
                "date-time" => "2026-11-28T09:00:00Z",
                "uuid" => "01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f",
                "uri" => "https://daxdi.example/",
                _ => "text",
            };
        }

        if (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
        {
            return schema.Minimum is { } minimum ? JsonValue.Create(decimal.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture)) : 1;
        }

        return type.HasFlag(JsonSchemaType.Boolean) ? false : null;
    }
}
