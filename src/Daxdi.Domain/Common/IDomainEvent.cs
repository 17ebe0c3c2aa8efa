namespace Daxdi.Domain.Common;

/// <summary>
/// Something that happened to an aggregate, raised by its domain method and committed with the change. The commit
/// pipeline turns the ones integrators may hear about into outbox events (webhooks).
/// </summary>
public interface IDomainEvent;
