using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;

namespace Daxdi.Tests.Unit;

/// <summary>The article state machine and its history, on the domain object alone.</summary>
public sealed class ArticleWorkflowTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);

    public static TheoryData<ArticleStatus, string, ArticleStatus?> Transitions()
    {
        // null target: the transition is forbidden.
        var data = new TheoryData<ArticleStatus, string, ArticleStatus?>
        {
            { ArticleStatus.Draft, "publish", ArticleStatus.Published },
            { ArticleStatus.Draft, "schedule", ArticleStatus.Scheduled },
            { ArticleStatus.Draft, "unpublish", null },
            { ArticleStatus.Draft, "archive", null },
            { ArticleStatus.Scheduled, "publish", ArticleStatus.Published },
            { ArticleStatus.Scheduled, "schedule", null },
            { ArticleStatus.Scheduled, "unpublish", ArticleStatus.Draft },
            { ArticleStatus.Scheduled, "archive", null },
            { ArticleStatus.Published, "publish", null },
            { ArticleStatus.Published, "schedule", null },
            { ArticleStatus.Published, "unpublish", ArticleStatus.Draft },
            { ArticleStatus.Published, "archive", ArticleStatus.Archived },
            { ArticleStatus.Archived, "publish", null },
            { ArticleStatus.Archived, "schedule", null },
            { ArticleStatus.Archived, "unpublish", ArticleStatus.Draft },
            { ArticleStatus.Archived, "archive", null },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_transition_is_allowed_or_refused_as_the_state_machine_says(ArticleStatus from, string action, ArticleStatus? expected)
    {
        var article = InStatus(from);
        var version = article.Version;

        var change = () => Act(article, action);

        if (expected is { } target)
        {
            change();
            Assert.Equal(target, article.Status);
            Assert.Equal(version + 1, article.Version);
            Assert.Equal(article.Version, article.NewRevisions[^1].Number);
        }
        else
        {
            var error = Assert.Throws<DomainException>(change);
            Assert.Equal("article.invalid_transition", error.Code);
            Assert.Equal(ErrorKind.InvalidState, error.Kind);
            Assert.Equal(from, article.Status);
            Assert.Equal(version, article.Version);
        }
    }

    [Fact]
    public void PublishedAt_is_set_on_first_publish_and_kept_on_republish_unless_given()
    {
        var article = NewArticle();
        article.Publish(null, "editor", Now);
        Assert.Equal(Now, article.PublishedAt);

        article.Unpublish("editor", Now.AddDays(1));
        article.Publish(null, "editor", Now.AddDays(2));
        Assert.Equal(Now, article.PublishedAt);

        var backdated = Now.AddDays(-10);
        article.Unpublish("editor", Now.AddDays(3));
        article.Publish(backdated, "editor", Now.AddDays(3));
        Assert.Equal(backdated, article.PublishedAt);
    }

    [Fact]
    public void Schedule_refuses_a_time_that_is_not_in_the_future()
    {
        var article = NewArticle();

        var error = Assert.Throws<DomainException>(() => article.Schedule(Now, "editor", Now));

        Assert.Equal("article.schedule_in_past", error.Code);
        Assert.Equal(ArticleStatus.Draft, article.Status);
    }

    [Fact]
    public void The_scheduler_publishes_only_when_due_dated_at_the_scheduled_time()
    {
        var article = NewArticle();
        var at = Now.AddHours(2);
        article.Schedule(at, "editor", Now);

        Assert.False(article.PublishIfDue(at.AddSeconds(-1)));
        Assert.Equal(ArticleStatus.Scheduled, article.Status);

        Assert.True(article.PublishIfDue(at.AddSeconds(30)));
        Assert.Equal(ArticleStatus.Published, article.Status);
        Assert.Equal(at, article.PublishedAt);
        Assert.Null(article.ScheduledAt);
        Assert.Equal(Article.SchedulerActor, article.NewRevisions[^1].CreatedBy);
        Assert.False(article.PublishIfDue(at.AddHours(1)));
    }

    [Fact]
    public void Every_change_records_a_revision_numbered_by_the_new_version_with_what_changed()
    {
        var article = NewArticle();
        article.Replace(article.Content with { Title = "Second title", Body = "<p>New body</p>" }, "editor", Now.AddMinutes(1));
        article.Publish(null, "editor", Now.AddMinutes(2));

        Assert.Equal([1, 2, 3], article.NewRevisions.Select(r => r.Number));
        Assert.Equal([RevisionAction.Created, RevisionAction.Updated, RevisionAction.Published], article.NewRevisions.Select(r => r.Action));
        Assert.Equal(["title", "body"], article.NewRevisions[1].Changes);
        Assert.Equal("Second title", article.NewRevisions[1].Snapshot.Content.Title);
        Assert.Equal(ArticleStatus.Published, article.NewRevisions[2].Snapshot.Status);
    }

    [Fact]
    public void A_save_that_changes_nothing_keeps_the_version_and_adds_no_revision()
    {
        var article = NewArticle();

        article.Replace(article.Content, "editor", Now.AddMinutes(1));

        Assert.Equal(1, article.Version);
        Assert.Single(article.NewRevisions);
    }

    [Fact]
    public void A_new_slug_keeps_the_old_one_as_a_former_slug_and_going_back_removes_it()
    {
        var article = NewArticle();
        article.Replace(article.Content with { Slug = "second" }, "editor", Now);
        Assert.Equal(["first"], article.FormerSlugs.Select(f => f.Slug));

        article.Replace(article.Content with { Slug = "first" }, "editor", Now);

        Assert.Equal("first", article.Slug);
        Assert.Equal(["second"], article.FormerSlugs.Select(f => f.Slug));
    }

    [Fact]
    public void Restore_puts_back_old_content_as_a_new_revision_and_keeps_the_status()
    {
        var article = NewArticle();
        var original = article.NewRevisions[0];
        article.Replace(article.Content with { Title = "Changed" }, "editor", Now);
        article.Publish(null, "editor", Now);

        article.Restore(original, original.Snapshot.Content, "editor", Now);

        Assert.Equal("First", article.Title);
        Assert.Equal(ArticleStatus.Published, article.Status);
        var restored = article.NewRevisions[^1];
        Assert.Equal(RevisionAction.Restored, restored.Action);
        Assert.Equal(1, restored.RestoredFrom);
        Assert.Equal(4, restored.Number);
        Assert.Equal(["title"], restored.Changes);
    }

    [Fact]
    public void Recommendations_refuse_the_article_itself_repeats_and_more_than_ten()
    {
        var article = NewArticle();
        var other = Guid.NewGuid();

        Assert.Equal("article.recommends_itself",
            Assert.Throws<DomainException>(() => article.SetRecommendations([article.Id], "editor", Now)).Code);
        Assert.Equal("article.invalid_recommendations",
            Assert.Throws<DomainException>(() => article.SetRecommendations([other, other], "editor", Now)).Code);
        Assert.Equal("article.invalid_recommendations", Assert.Throws<DomainException>(() =>
            article.SetRecommendations([.. Enumerable.Range(0, 11).Select(_ => Guid.NewGuid())], "editor", Now)).Code);

        var picks = new[] { Guid.NewGuid(), other };
        article.SetRecommendations(picks, "editor", Now);
        Assert.Equal(picks, article.RecommendationIds);
        Assert.Equal(RevisionAction.RecommendationsChanged, article.NewRevisions[^1].Action);
    }

    [Fact]
    public void A_deleted_article_takes_no_workflow_action()
    {
        var article = NewArticle();
        article.Delete("editor", Now);

        Assert.Equal("article.not_found", Assert.Throws<DomainException>(() => article.Publish(null, "editor", Now)).Code);
        Assert.Equal(RevisionAction.Deleted, article.NewRevisions[^1].Action);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(230, 1)]
    [InlineData(231, 2)]
    [InlineData(2300, 10)]
    public void Reading_time_is_words_over_230_rounded_up(int words, int minutes) =>
        Assert.Equal(minutes, ArticleRules.ReadingTimeMinutes(words));

    private static Article NewArticle() => new(Guid.NewGuid(), new ArticleContent
    {
        Slug = "first", Title = "First", Excerpt = "Excerpt", Body = "<p>Body</p>", Language = "en",
    }, "editor", Now);

    private static Article InStatus(ArticleStatus status)
    {
        var article = NewArticle();
        switch (status)
        {
            case ArticleStatus.Scheduled:
                article.Schedule(Now.AddDays(1), "editor", Now);
                break;
            case ArticleStatus.Published:
                article.Publish(null, "editor", Now);
                break;
            case ArticleStatus.Archived:
                article.Publish(null, "editor", Now);
                article.Archive("editor", Now);
                break;
        }

        return article;
    }

    private static void Act(Article article, string action)
    {
        switch (action)
        {
            case "publish": article.Publish(null, "editor", Now); break;
            case "schedule": article.Schedule(Now.AddDays(2), "editor", Now); break;
            case "unpublish": article.Unpublish("editor", Now); break;
            case "archive": article.Archive("editor", Now); break;
            default: throw new ArgumentOutOfRangeException(nameof(action));
        }
    }
}
