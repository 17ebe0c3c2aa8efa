using Microsoft.OpenApi;

namespace Daxdi.Api.Hosting.OpenApi;

public static class SwaggerSetup
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    private static readonly string[] XmlDocs = ["Daxdi.Api.xml", "Daxdi.Application.xml", "Daxdi.Domain.xml"];

    public static IServiceCollection AddDaxdiOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Daxdi API",
                Version = "v1",
                Contact = new OpenApiContact { Name = "Daxdi maintainers" },
                Description =
                    "Headless CMS API for news publishers: articles (editorial and delivery), consent records " +
                    "and Bitcoin payment intents. Admin endpoints (`/api/v1/admin/…`) need `Authorization: Bearer <API key>`; " +
                    "public endpoints (`/api/v1/sites/{site}/…`) need none. Every error is an RFC 9457 problem " +
                    "with a stable `code` and a `traceId`.",
            });
            o.AddSecurityDefinition(StandardResponsesFilter.SecuritySchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (`dx_…`), or a JWT from the configured OIDC authority.",
            });
            o.SchemaFilter<NullableReferenceSchemaFilter>();
            o.ParameterFilter<EnumParameterFilter>();
            o.OperationFilter<FieldSelectionFilter>();
            o.OperationFilter<IfMatchHeaderFilter>();
            o.OperationFilter<StandardResponsesFilter>();
            o.DocumentFilter<WebhooksFilter>();
            o.DocumentFilter<ResponseShapeFilter>();
            o.DocumentFilter<ExamplesFilter>();
            o.DocumentFilter<UnreferencedSchemasFilter>();
            o.SupportNonNullableReferenceTypes();
            o.UseAllOfToExtendReferenceSchemas();
            o.CustomSchemaIds(SchemaId);
            foreach (var xml in XmlDocs)
            {
                o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, xml));
            }
        });
        return services;
    }

    /// <summary><c>Page&lt;SiteDto&gt;</c> becomes <c>SiteDtoPage</c>; plain types keep their names.</summary>
    private static string SchemaId(Type type) =>
        type.IsGenericType
            ? string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
            : type.Name;
}
