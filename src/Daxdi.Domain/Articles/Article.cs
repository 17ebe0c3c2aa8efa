using Daxdi.Domain.Common;
using Daxdi.Domain.Taxonomy;

namespace Daxdi.Domain.Articles;

/// <summary>
/// A news article and its editorial workflow. Every change goes through a method here: it enforces the state
/// machine, bumps the version (the ETag) and appends a revision with a full snapshot.
/// </summary>
/// <remarks>
/// Allowed transitions: draft → published | scheduled; scheduled → draft | published;
/// published → draft | archived; archived → draft. Anything else is <c>article.invalid_transition</c>.
/// </remarks>
public sealed class Article : Entity
{
    public const string SchedulerActor = "system:scheduler";

    private readonly List<ArticleTerm> _terms = [];
    private readonly List<ArticleRecommendation> _recommendations = [];
    private readonly List<ArticleFormerSlug> _formerSlugs = [];
    private readonly List<ArticleRevision> _newRevisions = [];

    private Article()
    {
    }

    /// <summary>A new draft.</summary>
    public Article(Guid siteId, ArticleContent content, string actor, DateTime now)
        : this(siteId, content, publishedAt: null, actor, now)
    {
    }

    private Article(Guid siteId, ArticleContent content, DateTime? publishedAt, string actor, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        Status = publishedAt is null ? ArticleStatus.Draft : ArticleStatus.Published;
        PublishedAt = publishedAt;
        CreatedBy = actor;
        UpdatedBy = actor;
        Apply(content);
        Record(RevisionAction.Created, [], actor, now);
        if (publishedAt is not null)
        {
            RaiseChanged(ArticleEventKind.Published, now);
        }
    }

    /// <summary>
    /// A new article that is live at once (an archive import, a wire story): one version and one revision instead
    /// of a draft followed by its publication. <paramref name="publishedAt"/> backdates it; by default it is now.
    /// </summary>
    public static Article CreatePublished(Guid siteId, ArticleContent content, DateTime? publishedAt, string actor, DateTime now) =>
        new(siteId, content, publishedAt ?? now, actor, now);

    public Guid SiteId { get; private set; }

    public string Slug { get; private set; } = null!;

    public string Title { get; private set; } = null!;

    public string? Subtitle { get; private set; }

    public string Excerpt { get; private set; } = null!;

    public bool ExcerptGenerated { get; private set; }

    public string Body { get; private set; } = null!;

    public BodyFormat BodyFormat { get; private set; }

    public string? MarkdownSource { get; private set; }

    public string Language { get; private set; } = null!;

    /// <summary>The body as plain text; what full-text search indexes with the title and excerpt.</summary>
    public string SearchText { get; private set; } = "";

    public Guid? SectionId { get; private set; }

    public FeaturedImage? FeaturedImage { get; private set; }

    public SourceAttribution? Source { get; private set; }

    public string? CanonicalUrl { get; private set; }

    public SeoFields Seo { get; private set; } = SeoFields.Empty;

    public int WordCount { get; private set; }

    public int ReadingTimeMinutes { get; private set; }

    public ArticleStatus Status { get; private set; }

    /// <summary>Set on first publication and kept when the article is republished, unless an editor sets it.</summary>
    public DateTime? PublishedAt { get; private set; }

    public DateTime? ScheduledAt { get; private set; }

    public string CreatedBy { get; private set; } = null!;

    public string UpdatedBy { get; private set; } = null!;

    public DateTime? DeletedAt { get; private set; }

    public string? DeletedBy { get; private set; }

    /// <summary>Authors and tags, each kind in the editor's order.</summary>
    public IReadOnlyList<ArticleTerm> Terms => _terms;

    public IReadOnlyList<ArticleRecommendation> Recommendations => _recommendations;

    public IReadOnlyList<ArticleFormerSlug> FormerSlugs => _formerSlugs;

    /// <summary>
    /// Revisions added by changes made through this instance and not yet saved. History is read with a query,
    /// never through this collection.
    /// </summary>
    public IReadOnlyList<ArticleRevision> NewRevisions => _newRevisions;

    public IReadOnlyList<Guid> AuthorIds => OrderedTermIds(TermKind.Author);

    public IReadOnlyList<Guid> TagIds => OrderedTermIds(TermKind.Tag);

    public IReadOnlyList<Guid> RecommendationIds => [.. _recommendations.OrderBy(r => r.Position).Select(r => r.RecommendedId)];

    public ArticleContent Content => new()
    {
        Slug = Slug, Title = Title, Subtitle = Subtitle, Excerpt = Excerpt, ExcerptGenerated = ExcerptGenerated,
        Body = Body, BodyFormat = BodyFormat, MarkdownSource = MarkdownSource, Language = Language, SearchText = SearchText,
        SectionId = SectionId, AuthorIds = AuthorIds, TagIds = TagIds, FeaturedImage = FeaturedImage, Source = Source,
        CanonicalUrl = CanonicalUrl, Seo = Seo, WordCount = WordCount, ReadingTimeMinutes = ReadingTimeMinutes,
    };

    /// <summary>Replaces the content (a save). A save that changes nothing keeps the version and adds no revision.</summary>
    public void Replace(ArticleContent content, string actor, DateTime now) =>
        ChangeContent(content, RevisionAction.Updated, actor, now, restoredFrom: null);

    /// <summary>Puts back the content of an earlier revision as a new revision; the workflow state is kept.</summary>
    public void Restore(ArticleRevision revision, ArticleContent content, string actor, DateTime now)
    {
        if (revision.ArticleId != Id)
        {
            throw new ArgumentException("The revision belongs to another article.", nameof(revision));
        }

        ChangeContent(content, RevisionAction.Restored, actor, now, revision.Number);
    }

    /// <summary>Publishes now. <paramref name="publishedAt"/> overrides the publication date (e.g. to backdate).</summary>
    public void Publish(DateTime? publishedAt, string actor, DateTime now)
    {
        EnsureTransition("publish", ArticleStatus.Published, ArticleStatus.Draft, ArticleStatus.Scheduled);
        PublishedAt = publishedAt ?? PublishedAt ?? now;
        ScheduledAt = null;
        Status = ArticleStatus.Published;
        Changed(RevisionAction.Published, ["status", "publishedAt", "scheduledAt"], actor, now);
        RaiseChanged(ArticleEventKind.Published, now);
    }

    /// <summary>Schedules publication at <paramref name="at"/>, which must be in the future.</summary>
    public void Schedule(DateTime at, string actor, DateTime now)
    {
        EnsureTransition("schedule", ArticleStatus.Scheduled, ArticleStatus.Draft);
        if (at <= now)
        {
            throw DomainException.InvalidState("article.schedule_in_past", "The scheduled time must be in the future.");
        }

        ScheduledAt = at;
        Status = ArticleStatus.Scheduled;
        Changed(RevisionAction.Scheduled, ["status", "scheduledAt"], actor, now);
    }

    /// <summary>
    /// What the scheduler does when <see cref="ScheduledAt"/> has come: publish, dated at the scheduled time
    /// unless the article was published before. Returns false when the article is not (or no longer) due.
    /// </summary>
    public bool PublishIfDue(DateTime now)
    {
        if (Status != ArticleStatus.Scheduled || ScheduledAt > now || DeletedAt is not null)
        {
            return false;
        }

        PublishedAt ??= ScheduledAt;
        ScheduledAt = null;
        Status = ArticleStatus.Published;
        Changed(RevisionAction.Published, ["status", "publishedAt", "scheduledAt"], SchedulerActor, now);
        RaiseChanged(ArticleEventKind.Published, now);
        return true;
    }

    /// <summary>Back to draft: takes a published article down, cancels a schedule, or reopens an archived one.</summary>
    public void Unpublish(string actor, DateTime now)
    {
        EnsureTransition("unpublish", ArticleStatus.Draft, ArticleStatus.Published, ArticleStatus.Scheduled, ArticleStatus.Archived);
        var wasLive = Status == ArticleStatus.Published;
        ScheduledAt = null;
        Status = ArticleStatus.Draft;
        Changed(RevisionAction.Unpublished, ["status", "scheduledAt"], actor, now);
        if (wasLive)
        {
            RaiseChanged(ArticleEventKind.Unpublished, now);
        }
    }

    public void Archive(string actor, DateTime now)
    {
        EnsureTransition("archive", ArticleStatus.Archived, ArticleStatus.Published);
        Status = ArticleStatus.Archived;
        Changed(RevisionAction.Archived, ["status"], actor, now);
        RaiseChanged(ArticleEventKind.Archived, now);
    }

    /// <summary>Sets the editors' picks, in order. Same-site membership is checked by the caller, which can query.</summary>
    public void SetRecommendations(IReadOnlyList<Guid> articleIds, string actor, DateTime now)
    {
        if (articleIds.Contains(Id))
        {
            throw DomainException.InvalidState("article.recommends_itself", "An article cannot recommend itself.");
        }

        if (articleIds.Count > ArticleRules.MaxRecommendations || articleIds.Distinct().Count() != articleIds.Count)
        {
            throw DomainException.InvalidState("article.invalid_recommendations",
                $"Recommendations must be distinct and at most {ArticleRules.MaxRecommendations}.");
        }

        if (RecommendationIds.SequenceEqual(articleIds))
        {
            return;
        }

        SyncLinks(_recommendations, articleIds, r => r.RecommendedId, (id, i) => new ArticleRecommendation(Id, id, i),
            (r, i) => r.Position = i);
        Changed(RevisionAction.RecommendationsChanged, ["recommendations"], actor, now);
        RaiseUpdatedIfLive(null, now);
    }

    /// <summary>Soft delete: the article disappears from every list and read, its history and slugs stay.</summary>
    public void Delete(string actor, DateTime now)
    {
        DeletedAt = now;
        DeletedBy = actor;
        Changed(RevisionAction.Deleted, ["deletedAt"], actor, now);
        RaiseChanged(ArticleEventKind.Deleted, now);
    }

    /// <summary>
    /// Takes a term that is being deleted off the article (as author, tag or section), as a new version with its
    /// revision. Returns false when the article does not use it.
    /// </summary>
    public bool DetachTerm(Guid termId, string actor, DateTime now)
    {
        var content = Content;
        var detached = content with
        {
            SectionId = content.SectionId == termId ? null : content.SectionId,
            AuthorIds = [.. content.AuthorIds.Where(id => id != termId)],
            TagIds = [.. content.TagIds.Where(id => id != termId)],
        };
        var changes = detached.ChangedFrom(content);
        if (changes.Count == 0)
        {
            return false;
        }

        Apply(detached);
        Changed(RevisionAction.Updated, changes, actor, now);
        RaiseUpdatedIfLive(null, now);
        return true;
    }

    /// <summary>Authors may only touch drafts they are an author of.</summary>
    public bool IsEditableDraftOf(Guid authorId) => Status == ArticleStatus.Draft && AuthorIds.Contains(authorId);

    private void ChangeContent(ArticleContent content, RevisionAction action, string actor, DateTime now, int? restoredFrom)
    {
        var changes = content.ChangedFrom(Content);
        if (changes.Count == 0)
        {
            return;
        }

        if (content.Slug != Slug)
        {
            _formerSlugs.RemoveAll(f => f.Slug == content.Slug);
            if (_formerSlugs.TrueForAll(f => f.Slug != Slug))
            {
                _formerSlugs.Add(new ArticleFormerSlug(Id, SiteId, Slug));
            }
        }

        var previousSlug = Slug;
        Apply(content);
        Changed(action, changes, actor, now, restoredFrom);
        RaiseUpdatedIfLive(previousSlug == Slug ? null : previousSlug, now);
    }

    private void Apply(ArticleContent c)
    {
        Slug = c.Slug;
        Title = c.Title;
        Subtitle = c.Subtitle;
        Excerpt = c.Excerpt;
        ExcerptGenerated = c.ExcerptGenerated;
        Body = c.Body;
        BodyFormat = c.BodyFormat;
        MarkdownSource = c.BodyFormat == BodyFormat.Markdown ? c.MarkdownSource : null;
        Language = c.Language;
        SearchText = c.SearchText;
        SectionId = c.SectionId;
        FeaturedImage = c.FeaturedImage;
        Source = c.Source;
        CanonicalUrl = c.CanonicalUrl;
        Seo = c.Seo;
        WordCount = c.WordCount;
        ReadingTimeMinutes = c.ReadingTimeMinutes;
        SyncTerms(TermKind.Author, c.AuthorIds);
        SyncTerms(TermKind.Tag, c.TagIds);
    }

    private void SyncTerms(TermKind kind, IReadOnlyList<Guid> ids)
    {
        var others = _terms.Where(t => t.Kind != kind).ToList();
        var ofKind = _terms.Where(t => t.Kind == kind).ToList();
        SyncLinks(ofKind, ids, t => t.TermId, (id, i) => new ArticleTerm(Id, id, kind, i), (t, i) => t.Position = i);
        _terms.Clear();
        _terms.AddRange(others.Concat(ofKind));
    }

    /// <summary>Makes <paramref name="links"/> match <paramref name="ids"/> in order, keeping the rows that stay.</summary>
    private static void SyncLinks<T>(List<T> links, IReadOnlyList<Guid> ids, Func<T, Guid> target,
        Func<Guid, int, T> create, Action<T, int> setPosition)
    {
        links.RemoveAll(l => !ids.Contains(target(l)));
        for (var i = 0; i < ids.Count; i++)
        {
            var existing = links.Find(l => target(l) == ids[i]);
            if (existing is null)
            {
                links.Add(create(ids[i], i));
            }
            else
            {
                setPosition(existing, i);
            }
        }
    }

    private List<Guid> OrderedTermIds(TermKind kind) =>
        [.. _terms.Where(t => t.Kind == kind).OrderBy(t => t.Position).Select(t => t.TermId)];

    private void EnsureTransition(string action, ArticleStatus target, params ArticleStatus[] from)
    {
        EnsureNotDeleted();
        if (!from.Contains(Status))
        {
            throw DomainException.InvalidState("article.invalid_transition",
                $"Cannot {action} an article that is {Status.ToString().ToLowerInvariant()} "
                + $"(allowed from: {string.Join(", ", from.Select(s => s.ToString().ToLowerInvariant()))}); "
                + $"it would become {target.ToString().ToLowerInvariant()}.");
        }
    }

    private void EnsureNotDeleted()
    {
        if (DeletedAt is not null)
        {
            throw DomainException.NotFound("article.not_found", "The article was deleted.");
        }
    }

    private void Changed(RevisionAction action, IReadOnlyList<string> changes, string actor, DateTime now, int? restoredFrom = null)
    {
        UpdatedBy = actor;
        Touch(now);
        Record(action, changes, actor, now, restoredFrom);
    }

    private void RaiseUpdatedIfLive(string? previousSlug, DateTime now)
    {
        if (Status == ArticleStatus.Published && DeletedAt is null)
        {
            RaiseChanged(ArticleEventKind.Updated, now, previousSlug);
        }
    }

    private void RaiseChanged(ArticleEventKind kind, DateTime now, string? previousSlug = null) =>
        Raise(new ArticleChanged(kind, SiteId, Id, Slug, previousSlug, Title, Language, Status, Version, PublishedAt, now));

    private void Record(RevisionAction action, IReadOnlyList<string> changes, string actor, DateTime now, int? restoredFrom = null) =>
        _newRevisions.Add(new ArticleRevision(Id, Version, action, changes,
            new ArticleSnapshot(Content, Status, PublishedAt, ScheduledAt, RecommendationIds), actor, now, restoredFrom));
}
