namespace Daxdi.Application.Abstractions;

/// <summary>Writes the JSON of public responses exactly as the API sends it, with its strong entity tag.</summary>
public interface IPublicJson
{
    RenderedJson Render(object value, Type type);
}

/// <summary>UTF-8 JSON and its strong entity tag (quoted, a hash of the bytes).</summary>
public sealed record RenderedJson(byte[] Bytes, string ETag);
