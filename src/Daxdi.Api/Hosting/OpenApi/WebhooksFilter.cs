using System.Text.Json.Nodes;
using Daxdi.Application.Events;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// The event catalogue as the document's top-level <c>webhooks</c> (OpenAPI 3.1): one POST per
/// <see cref="EventCatalog.All"/> type, as subscribers receive it, with the Standard Webhooks headers and the body
/// <c>{ type, timestamp, data }</c> whose <c>data</c> is the type's own schema. The catalogue is the one list, so a new
/// event type is documented without touching this filter.
/// </summary>
public sealed class WebhooksFilter : IDocumentFilter
{
    private static readonly IReadOnlyList<OpenApiParameter> Headers =
    [
        Header("webhook-id", "The event's id: the same on every attempt and redelivery of it. Deduplicate on it.",
            new OpenApiSchema { Type = JsonSchemaType.String }, "01936b2e-8d2e-7c55-9a01-23456789abcd"),
        Header("webhook-timestamp", "When this attempt was signed, in Unix seconds. Refuse a delivery whose timestamp is far from your clock (replays).",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" }, 1795856400),
        Header("webhook-signature",
            "Space-separated `v1,<base64 HMAC-SHA256>` signatures of `{webhook-id}.{webhook-timestamp}.{body}`, one per secret that " +
            "signs (two while a rotated secret overlaps). The key is the base64-decoded part of the secret after `whsec_`. Accept the " +
            "delivery when one signature matches.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$" },
            "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
    ];

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Webhooks ??= new Dictionary<string, IOpenApiPathItem>(StringComparer.Ordinal);
        foreach (var type in EventCatalog.All)
        {
            swaggerDoc.Webhooks[type.Name] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = new()
                    {
                        OperationId = OperationId(type.Name),
                        Summary = $"`{type.Name}`",
                        Description = type.Summary,
                        Parameters = [.. Headers],
                        RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new() { Schema = Envelope(type, context) },
                            },
                        },
                        Responses = new OpenApiResponses
                        {
                            ["2XX"] = new OpenApiResponse
                            {
                                Description = "Received. Any other status, or no answer within `Webhooks:TimeoutSeconds`, is a failed attempt, retried with backoff.",
                            },
                        },
                    },
                },
            };
        }
    }

    /// <summary>The body of every delivery, with <c>type</c> fixed to this event's name.</summary>
    private static OpenApiSchema Envelope(EventType type, DocumentFilterContext context) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new SortedSet<string>(["data", "timestamp", "type"], StringComparer.Ordinal),
        AdditionalPropertiesAllowed = false,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = type.Name, Example = JsonValue.Create(type.Name) },
            ["timestamp"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "date-time", Description = "When the event happened (UTC); the same on every attempt.",
            },
            ["data"] = context.SchemaGenerator.GenerateSchema(type.DataType, context.SchemaRepository),
        },
    };

    /// <summary><c>article.published</c> becomes <c>articlePublishedEvent</c>.</summary>
    private static string OperationId(string name) =>
        string.Concat(name.Split('.').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..])) + "Event";

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema, JsonNode example) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description, Schema = schema, Example = example,
    };
}
