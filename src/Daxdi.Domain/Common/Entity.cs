namespace Daxdi.Domain.Common;

/// <summary>Base for aggregate roots: a time-ordered GUID id, audit timestamps and an optimistic concurrency version.</summary>
public abstract class Entity
{
    /// <summary>For the store's materializer.</summary>
    protected Entity()
    {
    }

    protected Entity(DateTime now)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero));
        CreatedAt = now;
        UpdatedAt = now;
        Version = 1;
    }

    public Guid Id { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>
    /// Optimistic concurrency version, exposed as the ETag. Every state change goes through <see cref="Touch"/>,
    /// so the new version is known before saving and the store checks the old one in its WHERE clause.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Marks a change: a new version and update time.</summary>
    protected void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }

    /// <summary>Throws when the caller's expected version (from <c>If-Match</c>) is not the current one.</summary>
    public void EnsureVersion(int? expected)
    {
        if (expected is { } v && v != Version)
        {
            throw DomainException.StaleVersion();
        }
    }
}
