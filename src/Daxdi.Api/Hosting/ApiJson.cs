using System.Text.Json;
using System.Text.Json.Serialization;

namespace Daxdi.Api.Hosting;

/// <summary>The API's JSON contract: camelCase, enums as camelCase strings, unknown properties rejected.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }
}
