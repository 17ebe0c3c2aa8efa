using Mediator;

namespace Daxdi.Application.Common;

/// <summary>
/// A command whose handler may simply run again when its commit loses a race on a unique index (a generated slug, a
/// term created on first use): it computes everything from the message and what the store holds, and changes nothing
/// but the change tracker, so a second run on a fresh tracker finds what the other request wrote and settles as if the
/// two had run one after the other. <see cref="CommitPipeline.RunAsync"/> does the retrying.
/// </summary>
/// <remarks>
/// Only for handlers without effects outside the store (no webhook sent, no secret shown, no external call): those
/// would happen once per attempt. What the commit pipeline does around the commit is safe to repeat: documents are
/// rendered inside the transaction that rolled back, the rendering signal is raised after a successful commit only, and
/// the evictions a failed attempt noted are made after the successful one (at worst a cache miss on an unchanged page).
/// </remarks>
public interface IRetryableCommand : IBaseCommand;
