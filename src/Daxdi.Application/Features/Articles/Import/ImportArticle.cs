using System.Text;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Articles;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>
/// Import a scraped page as a draft of <paramref name="Site"/>. With <paramref name="AllowDuplicate"/> a near-duplicate
/// of an existing article is created anyway (and still named in <c>duplicateOf</c>).
/// </summary>
public sealed record ImportArticle(string Site, PageFormat Format, ReadOnlyMemory<byte> Body, string? Charset, bool AllowDuplicate)
    : ICommand<ImportOutcome>, IRetryableCommand;

/// <summary>The existing article an import resembles, how closely, and the threshold that made it a duplicate.</summary>
public sealed record DuplicateOf(Guid Id, string Title, string Slug, ArticleStatus Status, double Similarity, double Threshold);

/// <summary>How an import ended.</summary>
public enum ImportResult
{
    /// <summary>A draft was stored (201).</summary>
    Created,

    /// <summary>Refused as a near-duplicate (409); nothing stored.</summary>
    Duplicate,

    /// <summary>Nothing like an article was left (422); nothing stored.</summary>
    NotAnArticle,
}

/// <summary>The draft (when one was stored), the report, and the article it duplicates, if any.</summary>
public sealed record ImportOutcome(ImportResult Result, ArticleDto? Article, ImportReport Report, DuplicateOf? DuplicateOf, string? Detail);

public sealed class ImportArticleValidator : AbstractValidator<ImportArticle>
{
    public ImportArticleValidator()
    {
        RuleFor(x => x.Site).NotEmpty();
        RuleFor(x => x.Format).IsInEnum();
        RuleFor(x => x.Body.Length).LessThanOrEqualTo(ImportedPage.MaxBytes).OverridePropertyName("body");
        RuleFor(x => x.Charset).MaximumLength(40);
    }
}

public sealed class ImportArticleHandler(
    IDaxdiDbContext db, PageExtractor extractor, IArticleSimilarity similarity, CreateArticleHandler drafts, IValidator<CreateArticle> draftRules,
    IOptions<ImportOptions> options)
    : ICommandHandler<ImportArticle, ImportOutcome>
{
    public async ValueTask<ImportOutcome> Handle(ImportArticle command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var page = ImportedPage.Decode(command.Format, command.Body.Span, command.Charset);
        var extracted = extractor.Extract(page, site.Name, site.DefaultLanguage);
        var report = extracted.Report;
        if (!extracted.LooksLikeArticle(options.Value.MinWords))
        {
            return new ImportOutcome(ImportResult.NotAnArticle, null, report, null, extracted.Title is null
                ? "No title was found in the page once its site chrome was removed; see report."
                : $"Fewer than {options.Value.MinWords} words of article text were left once the site chrome was removed; see report.");
        }

        if (Encoding.UTF8.GetByteCount(extracted.BodyHtml) > ArticleRules.BodyMaxBytes)
        {
            return new ImportOutcome(ImportResult.NotAnArticle, null, report, null,
                $"The extracted article is longer than an article body may be ({ArticleRules.BodyMaxBytes / 1024} KiB); split the page.");
        }

        var duplicate = await DuplicateAsync(site.Id, extracted, cancellationToken);
        if (duplicate is not null && !command.AllowDuplicate)
        {
            return new ImportOutcome(ImportResult.Duplicate, null, report, duplicate,
                $"The page is a near-duplicate of '{duplicate.Title}' ({duplicate.Similarity:0.###} ≥ {duplicate.Threshold:0.###}); " +
                "import it with allowDuplicate=true to keep both.");
        }

        var language = report.Extracted.Language is { } l && SiteFieldsValidator.IsLanguageTag(l) ? l : null;
        var fields = new ArticleFields
        {
            Title = extracted.Title!, Subtitle = extracted.Subtitle, Body = extracted.BodyHtml, BodyFormat = BodyFormat.Html,
            Source = report.Extracted.Source is { } source ? new ArticleSourceFields { Name = source.Name, Url = source.Url } : null,
            CanonicalUrl = report.Extracted.Source is null ? null : extracted.CanonicalUrl, Language = language,
        };
        // The same use case as any draft: the same rules, slug, sanitising, revision and events.
        var create = new CreateArticle(command.Site, fields);
        await draftRules.ValidateAndThrowAsync(create, cancellationToken);
        var article = await drafts.Handle(create, cancellationToken);
        return new ImportOutcome(ImportResult.Created, article, report, duplicate, null);
    }

    private async Task<DuplicateOf?> DuplicateAsync(Guid siteId, ExtractedPage page, CancellationToken cancellationToken)
    {
        var closest = await similarity.FindSimilarAsync(siteId, page.SimilarityText, 1, excluding: null, cancellationToken);
        if (closest is not [var best] || best.Similarity < similarity.DuplicateThreshold)
        {
            return null;
        }

        var article = await db.Articles.AsNoTracking().Where(a => a.Id == best.ArticleId)
            .Select(a => new { a.Title, a.Slug, a.Status }).SingleOrDefaultAsync(cancellationToken);
        return article is null ? null : new DuplicateOf(best.ArticleId, article.Title, article.Slug, article.Status, Math.Round(best.Similarity, 3),
            similarity.DuplicateThreshold);
    }
}
