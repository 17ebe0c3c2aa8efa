namespace Daxdi.Application.Common;

/// <summary>A resource as read with its concurrency version (<c>Entity.Version</c>), which the API sends as its strong ETag.</summary>
public interface IVersioned
{
    int Version { get; }
}
