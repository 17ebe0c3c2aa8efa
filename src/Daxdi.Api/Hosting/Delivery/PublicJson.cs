using System.Security.Cryptography;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>The API's JSON settings, and a strong ETag that is a hash of the exact bytes.</summary>
public sealed class PublicJson(IOptions<JsonOptions> json) : IPublicJson
{
    public byte[] Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, json.Value.SerializerOptions);

    public RenderedJson Render(object value, Type type)
    {
        var bytes = Serialize(value, type);
        return new RenderedJson(bytes, $"\"{Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 16)).TrimEnd('=')}\"");
    }
}
