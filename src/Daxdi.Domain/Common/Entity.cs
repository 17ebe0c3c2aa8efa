namespace Daxdi.Domain.Common;

/// <summary>Base for aggregate roots: a time-ordered GUID id, audit timestamps and an optimistic concurrency version.</summary>
public abstract class Entity
{
    private List<IDomainEvent>? _domainEvents;

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

    /// <summary>Events raised by changes made through this instance since they were last taken.</summary>
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents ?? [];

    /// <summary>Hands the raised events to the commit that saves them, and forgets them.</summary>
    public IReadOnlyList<IDomainEvent> TakeDomainEvents()
    {
        var events = DomainEvents;
        _domainEvents = null;
        return events;
    }

    protected void Raise(IDomainEvent domainEvent) => (_domainEvents ??= []).Add(domainEvent);

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
