using Daxdi.Application.Common;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// Keeps the public documents in step with every commit (<see cref="PublishedDocuments"/>), in its transaction, and
/// wakes the background renderer after it when some were left to it.
/// </summary>
public sealed class PublishedDocumentsParticipant(PublishedDocuments documents, DocumentRenderSignal rendering) : ICommitParticipant
{
    private readonly HashSet<(Guid SiteId, Guid ArticleId)> _requested = [];
    private DocumentChanges? _changes;
    private bool _leftToBackground;

    /// <summary>Renders these articles' documents in the next commit, whether or not the commit changes them.</summary>
    public void Refresh(IEnumerable<(Guid SiteId, Guid ArticleId)> articles) => _requested.UnionWith(articles);

    public ValueTask<IEnumerable<Guid>> PrepareAsync(ChangeTracker tracker, CancellationToken cancellationToken)
    {
        _changes = DocumentChanges.Of(tracker, _requested);
        return ValueTask.FromResult(_changes.Sites);
    }

    public async Task InTransactionAsync(CancellationToken cancellationToken)
    {
        if (_changes is { IsEmpty: false })
        {
            _leftToBackground = await documents.RefreshAsync(_changes, cancellationToken);
        }
    }

    public Task AfterCommitAsync(CancellationToken cancellationToken)
    {
        // Raised after the commit, so the renderer cannot look before the documents are gone.
        if (_leftToBackground)
        {
            rendering.Raise();
        }

        Discard();
        return Task.CompletedTask;
    }

    public void Discard()
    {
        _requested.Clear();
        _changes = null;
        _leftToBackground = false;
    }
}
