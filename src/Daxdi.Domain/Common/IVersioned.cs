namespace Daxdi.Domain.Common;

/// <summary>
/// An entity with an application-managed optimistic concurrency version. The store increments
/// <see cref="Version"/> on every update and uses it as the concurrency token; the API exposes it as the ETag.
/// </summary>
public interface IVersioned
{
    int Version { get; }

    void IncrementVersion();
}
