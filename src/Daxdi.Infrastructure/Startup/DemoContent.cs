using System.Text.Json;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Application.Features.ConsentPolicies;
using Daxdi.Application.Features.Payments;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Payments;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Daxdi.Application.Features.Articles.Import;
using Daxdi.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Startup;

/// <summary>
/// Demo content for a new database, so a first run has a newsroom to look at: two sites, their authors, sections
/// and tags, articles in every status, a published cookie-banner policy, and what the news site sells for bitcoin on a
/// testnet wallet (all original writing, in <c>demo-content.json</c>). Dates are relative to the moment of seeding.
/// </summary>
/// <remarks>
/// The demo wallet is BIP84's published test vector (the "abandon … about" mnemonic, account <c>m/84'/1'/0'</c>): anyone
/// can derive its private keys, so it must never receive anything of value. It is a testnet wallet, whose coins have none.
/// </remarks>
internal static class DemoContent
{
    private const string Actor = "system:seed";

    /// <summary>The news site's draft that an import made, from a page shaped like a scraped one (<c>demo-import.txt</c>).</summary>
    public const string ImportedDraftSite = "daxdi";

    /// <summary>Seeds a new database; <c>false</c> when it already has sites.</summary>
    public static async Task<bool> SeedAsync(DaxdiDbContext db, CommitPipeline commit, TimeProvider clock, ArticleBodyRenderer renderer,
        IBitcoinKeys keys, CancellationToken cancellationToken)
    {
        if (await db.Sites.AnyAsync(cancellationToken))
        {
            return false;
        }

        await using var json = typeof(DemoContent).Assembly.GetManifestResourceStream("Daxdi.DemoContent.json")
            ?? throw new InvalidOperationException("The demo content resource is missing from the build.");
        var content = await JsonSerializer.DeserializeAsync<DemoFile>(json, JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidOperationException("The demo content resource is empty.");

        // Through RunAsync, not CommitAsync alone: the commit locks the sites it writes in a transaction of its own, and
        // PostgreSQL's and SQL Server's retrying execution strategies refuse a transaction they do not run (start-up
        // failed on PostgreSQL with demo content on). Each run starts from an empty tracker, so it adds everything again.
        await commit.RunAsync(() =>
        {
            var now = clock.UtcNow();
            Site[] sites =
            [
                new("daxdi", "Daxdi News", "daxdi.example", ["https://daxdi.example", "http://localhost:3000"], "en", now),
                new("harbor-times", "The Harbor Times", "harbor-times.example", ["https://harbor-times.example"], "en", now),
            ];
            db.Sites.AddRange(sites);
            foreach (var demo in content.Sites)
            {
                Seed(db, sites.Single(s => s.Key == demo.Key), demo, renderer, keys, now);
            }

            return ValueTask.FromResult(sites.Length);
        }, retryable: false, cancellationToken);
        return true;
    }

    /// <summary>
    /// Imports the demo page through the importer, as an editor's <c>POST …/articles/import</c> would: a newcomer can
    /// open a draft that an import produced, with its promo, doubled story and cookie banner gone.
    /// </summary>
    public static async Task ImportPageAsync(ISender sender, CancellationToken cancellationToken)
    {
        await using var page = typeof(DemoContent).Assembly.GetManifestResourceStream("Daxdi.DemoImport.txt")
            ?? throw new InvalidOperationException("The demo import resource is missing from the build.");
        using var bytes = new MemoryStream();
        await page.CopyToAsync(bytes, cancellationToken);
        var outcome = await sender.Send(new ImportArticle(ImportedDraftSite, PageFormat.Text, bytes.ToArray(), "utf-8", AllowDuplicate: false),
            cancellationToken);
        if (outcome.Result != ImportResult.Created)
        {
            throw new InvalidOperationException($"The demo page did not import: {outcome.Result}, {outcome.Detail}");
        }
    }

    private static void Seed(DaxdiDbContext db, Site site, DemoSite demo, ArticleBodyRenderer renderer, IBitcoinKeys keys, DateTime now)
    {
        var created = now.AddDays(-120);
        TaxonomyTerm Term(TermKind kind, DemoTerm t) => new(site.Id, kind, t.Slug, t.Name, t.Bio ?? t.Description, t.AvatarUrl, created);
        var terms = demo.Authors.Select(t => Term(TermKind.Author, t))
            .Concat(demo.Sections.Select(t => Term(TermKind.Section, t)))
            .Concat(demo.Tags.Select(t => Term(TermKind.Tag, t)))
            .ToList();
        db.TaxonomyTerms.AddRange(terms);
        Guid Id(TermKind kind, string slug) => terms.Single(t => t.Kind == kind && t.Slug == slug).Id;

        var articles = new Dictionary<string, Article>();
        foreach (var a in demo.Articles)
        {
            var body = renderer.RenderTrusted(a.Body, BodyFormat.Markdown);
            var publishedAt = a.PublishedHoursAgo is { } hours ? now.AddHours(-hours) : (DateTime?)null;
            var writtenAt = (publishedAt is { } p && p < now ? p : now).AddHours(-3);
            var article = new Article(site.Id, new ArticleContent
            {
                Slug = a.Slug, Title = a.Title, Subtitle = a.Subtitle,
                Excerpt = a.Excerpt ?? ArticleBodyRenderer.Excerpt(body.PlainText, ArticleRules.GeneratedExcerptLength),
                ExcerptGenerated = a.Excerpt is null, Body = body.Html, BodyFormat = BodyFormat.Markdown, MarkdownSource = a.Body,
                Language = a.Language, SearchText = body.PlainText, SectionId = Id(TermKind.Section, a.Section),
                AuthorIds = [.. a.Authors.Select(s => Id(TermKind.Author, s))], TagIds = [.. a.Tags.Select(s => Id(TermKind.Tag, s))],
                FeaturedImage = a.FeaturedImage, Source = a.Source, CanonicalUrl = a.CanonicalUrl, Seo = a.Seo ?? SeoFields.Empty,
                WordCount = body.WordCount, ReadingTimeMinutes = ArticleRules.ReadingTimeMinutes(body.WordCount),
            }, Actor, writtenAt);
            switch (a.Status)
            {
                case "published":
                    article.Publish(publishedAt, Actor, publishedAt!.Value);
                    break;
                case "scheduled":
                    article.Schedule(publishedAt!.Value, Actor, now);
                    break;
            }

            articles[a.Slug] = article;
        }

        foreach (var a in demo.Articles.Where(a => a.Recommendations.Count > 0))
        {
            var article = articles[a.Slug];
            article.SetRecommendations([.. a.Recommendations.Select(s => articles[s].Id)], Actor, article.UpdatedAt);
        }

        db.Articles.AddRange(articles.Values);

        if (demo.ConsentPolicy is { } policy)
        {
            db.ConsentPolicies.Add(PublishedPolicy(site, policy, created));
        }

        if (demo.Wallet is { } wallet)
        {
            db.BitcoinWallets.Add(Wallet(site, wallet, keys, created));
        }

        if (demo.Offers is { } offers)
        {
            db.SiteOffers.Add(Offers(site, offers, created));
        }
    }

    /// <summary>
    /// The site's wallet, read as <c>PUT …/wallet</c> reads its body: the same validator, and the key parsed and
    /// network-checked by <see cref="IBitcoinKeys"/>, so what is stored is the normalised tpub the API would store.
    /// </summary>
    private static BitcoinWallet Wallet(Site site, JsonElement json, IBitcoinKeys keys, DateTime at)
    {
        var fields = json.Deserialize<WalletFields>(ApiJson.Options)
            ?? throw new InvalidOperationException("The demo wallet is empty.");
        var shape = new ConfigureWalletValidator().Validate(new ConfigureWallet(site.Key, null, fields));
        if (!shape.IsValid)
        {
            throw new InvalidOperationException($"The demo wallet of '{site.Key}' is invalid: {shape}");
        }

        return new BitcoinWallet(site.Id, fields.ToSettings(keys.ParseAccountKey(fields.ExtendedPublicKey, fields.Network)), at);
    }

    /// <summary>The site's offers, read as <c>PUT …/offers</c> reads its body and checked by the same validator and domain rules.</summary>
    private static SiteOffers Offers(Site site, JsonElement json, DateTime at)
    {
        var fields = json.Deserialize<OffersFields>(ApiJson.Options)
            ?? throw new InvalidOperationException("The demo offers are empty.");
        var shape = new ReplaceOffersValidator().Validate(new ReplaceOffers(site.Key, null, fields));
        if (!shape.IsValid)
        {
            throw new InvalidOperationException($"The demo offers of '{site.Key}' are invalid: {shape}");
        }

        return new SiteOffers(site.Id, fields.ToSettings(), at);
    }

    /// <summary>
    /// Version 1 of the site's banner, published: read as the API reads a request body and checked by the same
    /// validator and legal rules, so the demo shows only what a compliance officer could have published.
    /// </summary>
    private static ConsentPolicy PublishedPolicy(Site site, JsonElement json, DateTime at)
    {
        var fields = json.Deserialize<ConsentPolicyFields>(ApiJson.Options)
            ?? throw new InvalidOperationException("The demo consent policy is empty.");
        var shape = new ConsentPolicyFieldsValidator().Validate(fields);
        if (!shape.IsValid)
        {
            throw new InvalidOperationException($"The demo consent policy of '{site.Key}' is invalid: {shape}");
        }

        var policy = new ConsentPolicy(site.Id, 1, fields.ToContent(), Actor, at);
        policy.Publish(previous: null, Actor, at);
        return policy;
    }

    private sealed record DemoFile(IReadOnlyList<DemoSite> Sites);

    /// <param name="ConsentPolicy">The site's published banner, as the body of <c>POST …/consent-policies</c>.</param>
    /// <param name="Wallet">The site's Bitcoin wallet, as the body of <c>PUT …/wallet</c>.</param>
    /// <param name="Offers">What the site sells for bitcoin, as the body of <c>PUT …/offers</c>.</param>
    private sealed record DemoSite(string Key, IReadOnlyList<DemoTerm> Authors, IReadOnlyList<DemoTerm> Sections,
        IReadOnlyList<DemoTerm> Tags, IReadOnlyList<DemoArticle> Articles, JsonElement? ConsentPolicy, JsonElement? Wallet,
        JsonElement? Offers);

    private sealed record DemoTerm(string Slug, string Name, string? Description, string? Bio, string? AvatarUrl);

    private sealed record DemoArticle(string Slug, string Title, string? Subtitle, string? Excerpt, string Body,
        IReadOnlyList<string> Authors, IReadOnlyList<string> Tags, string Section, string Language, string Status,
        int? PublishedHoursAgo, FeaturedImage? FeaturedImage, SourceAttribution? Source, string? CanonicalUrl, SeoFields? Seo,
        IReadOnlyList<string> Recommendations);
}
