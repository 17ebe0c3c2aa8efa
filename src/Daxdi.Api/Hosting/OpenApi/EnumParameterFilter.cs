using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Daxdi.Api.Hosting.OpenApi;

/// <summary>
/// The parameter is bound as text and validated by the use case, and takes the names of <paramref name="enumType"/>
/// (camelCase, as in JSON). The validator's message stays the API's own, and numbers are refused, which an enum binding
/// would accept.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class EnumParameterAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}

/// <summary>Documents an <see cref="EnumParameterAttribute"/> parameter with the enum's schema.</summary>
public sealed class EnumParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter is OpenApiParameter target
            && context.ParameterInfo?.GetCustomAttributes(typeof(EnumParameterAttribute), false).FirstOrDefault() is EnumParameterAttribute attribute)
        {
            target.Schema = context.SchemaGenerator.GenerateSchema(attribute.EnumType, context.SchemaRepository);
        }
    }
}
