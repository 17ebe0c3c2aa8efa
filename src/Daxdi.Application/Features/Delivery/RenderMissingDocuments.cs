using Mediator;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// The background renderer's batch: renders the documents of up to <paramref name="Max"/> published articles that have
/// none, in id order after <paramref name="After"/>. Returns the last id handled, or null when none was missing.
/// </summary>
public sealed record RenderMissingDocuments(Guid? After, int Max) : ICommand<Guid?>;

public sealed class RenderMissingDocumentsHandler(PublishedDocuments documents, PublishedDocumentsParticipant commit)
    : ICommandHandler<RenderMissingDocuments, Guid?>
{
    public async ValueTask<Guid?> Handle(RenderMissingDocuments command, CancellationToken cancellationToken)
    {
        var missing = await documents.MissingAsync(command.After, command.Max, cancellationToken);
        if (missing.Count == 0)
        {
            return null;
        }

        commit.Refresh(missing);
        return missing[^1].ArticleId;
    }
}
