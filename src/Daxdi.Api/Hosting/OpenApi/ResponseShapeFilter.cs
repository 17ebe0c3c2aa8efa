using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Daxdi.Application.Events;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// Marks as required every property a response (or a webhook body) always contains: the API writes every property, nulls included,
/// except those its type omits when null (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>). Request schemas keep the
/// <c>required</c> of their C# members, which is what the server demands. A schema reachable from both a request and
/// a response cannot say both, so it stops the document (docs/adr/0008-request-and-response-schemas.md).
/// </summary>
public sealed class ResponseShapeFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var operations = SchemaGraph.Operations(swaggerDoc).ToList();
        var requests = SchemaGraph.Reachable(
            operations.SelectMany(o => o.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Select(m => m.Schema), schemas);
        var responses = SchemaGraph.Reachable(
            operations.SelectMany(o => o.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
                .SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
                .Concat(SchemaGraph.WebhookBodies(swaggerDoc)).Select(m => m.Schema), schemas);

        var shared = requests.Intersect(responses).Where(id => schemas[id] is OpenApiSchema { Properties.Count: > 0 }).Order().ToList();
        if (shared.Count > 0)
        {
            throw new InvalidOperationException(
                $"Schemas used by both requests and responses: {string.Join(", ", shared)}. A response always holds every " +
                "property, a request only what the server requires: give each direction its own type (docs/adr/0008).");
        }

        var types = ClrTypes(context);
        foreach (var id in responses)
        {
            if (schemas[id] is OpenApiSchema { Properties.Count: > 0 } schema && types.TryGetValue(id, out var type))
            {
                schema.Required = new SortedSet<string>(AlwaysWritten(type).Where(schema.Properties.ContainsKey), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>JSON names of the properties the serializer writes whatever their value.</summary>
    private IEnumerable<string> AlwaysWritten(Type type)
    {
        var options = json.Value.SerializerOptions;
        if (options.DefaultIgnoreCondition != JsonIgnoreCondition.Never || options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            yield break;
        }

        foreach (var property in info.Properties.Where(p => p.Get is not null))
        {
            var ignore = (property.AttributeProvider as MemberInfo)?.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition;
            if (ignore is not (JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault))
            {
                yield return property.Name;
            }
        }
    }

    /// <summary>Schema id to CLR type, for the types the endpoints read and write and the types they contain.</summary>
    private static Dictionary<string, Type> ClrTypes(DocumentFilterContext context)
    {
        var roots = context.ApiDescriptions.SelectMany(d => d.SupportedResponseTypes.Select(r => r.Type)
            .Concat(d.ParameterDescriptions.Select(p => p.Type)))
            .Concat(EventCatalog.All.Select(t => t.DataType));
        var seen = new HashSet<Type>();
        var ids = new Dictionary<string, Type>(StringComparer.Ordinal);
        var pending = new Stack<Type>(roots.OfType<Type>());
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || type.Assembly == typeof(object).Assembly && !type.IsGenericType)
            {
                continue;
            }

            if (context.SchemaRepository.TryLookupByType(type, out var reference))
            {
                ids.TryAdd(reference.Reference.Id!, type);
            }

            foreach (var next in type.GetGenericArguments()
                .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType)))
            {
                pending.Push(next);
            }
        }

        return ids;
    }
}

/// <summary>Walks schemas through their <c>$ref</c>s.</summary>
internal static class SchemaGraph
{
    /// <summary>The ids of the component schemas that <paramref name="roots"/> reach.</summary>
    public static HashSet<string> Reachable(IEnumerable<IOpenApiSchema?> roots, IDictionary<string, IOpenApiSchema> components)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && found.Add(id) && components.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }

        return found;
    }

    public static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());

    /// <summary>The bodies the API sends to subscribers (the document's <c>webhooks</c>): written by the API, like responses.</summary>
    public static IEnumerable<OpenApiMediaType> WebhookBodies(OpenApiDocument document) =>
        (document.Webhooks?.Values ?? Enumerable.Empty<IOpenApiPathItem>())
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>());

    /// <summary>The request and response bodies of an operation.</summary>
    public static IEnumerable<OpenApiMediaType> Bodies(OpenApiOperation operation) =>
        (operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
            .Concat((operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()));

    public static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
            .Concat(new[] { schema.Items, schema.AdditionalProperties }.OfType<IOpenApiSchema>());
}
