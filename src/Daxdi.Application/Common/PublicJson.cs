using System.Security.Cryptography;
using System.Text.Json;
using Daxdi.Application.Abstractions;

namespace Daxdi.Application.Common;

/// <summary>The API's JSON settings (<see cref="ApiJson"/>), and a strong ETag that is a hash of the exact bytes.</summary>
public sealed class PublicJson : IPublicJson
{
    public byte[] Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, ApiJson.Options);

    public RenderedJson Render(object value, Type type)
    {
        var bytes = Serialize(value, type);
        return new RenderedJson(bytes, $"\"{Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 16)).TrimEnd('=')}\"");
    }
}
