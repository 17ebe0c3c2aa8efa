using Daxdi.Domain.Articles;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.ToTable("Articles");
        builder.ConfigureEntity();
        builder.HasQueryFilter(a => a.DeletedAt == null);
        builder.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TaxonomyTerm>().WithMany().HasForeignKey(a => a.SectionId).OnDelete(DeleteBehavior.NoAction);

        builder.Property(a => a.Slug).HasMaxLength(ArticleRules.SlugMaxLength).IsRequired();
        builder.HasIndex(a => new { a.SiteId, a.Slug }).IsUnique();
        builder.Property(a => a.Title).HasMaxLength(ArticleRules.TitleMaxLength).IsRequired();
        builder.Property(a => a.Subtitle).HasMaxLength(ArticleRules.SubtitleMaxLength);
        builder.Property(a => a.Excerpt).HasMaxLength(ArticleRules.ExcerptMaxLength).IsRequired();
        builder.Property(a => a.Body).IsRequired();
        builder.Property(a => a.BodyFormat).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(a => a.Language).HasMaxLength(ArticleRules.LanguageMaxLength).IsRequired();
        builder.Property(a => a.CanonicalUrl).HasMaxLength(ArticleRules.UrlMaxLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(a => a.CreatedBy).HasMaxLength(ArticleRules.ActorMaxLength).IsRequired();
        builder.Property(a => a.UpdatedBy).HasMaxLength(ArticleRules.ActorMaxLength).IsRequired();
        builder.Property(a => a.DeletedBy).HasMaxLength(ArticleRules.ActorMaxLength);
        builder.Property(a => a.SearchText).IsRequired();
        builder.HasIndex(a => new { a.Status, a.ScheduledAt });
        // The public list: a site's published articles, newest first, keyset on (PublishedAt, Id).
        builder.HasIndex(a => new { a.SiteId, a.Status, a.DeletedAt, a.PublishedAt, a.Id });
        // A site's changes since an instant, oldest first: the similarity index's catch-up after each commit.
        builder.HasIndex(a => new { a.SiteId, a.UpdatedAt });

        builder.ComplexProperty(a => a.FeaturedImage, image =>
        {
            image.Property(i => i.Url).HasColumnName("FeaturedImageUrl").HasMaxLength(ArticleRules.UrlMaxLength);
            image.Property(i => i.Alt).HasColumnName("FeaturedImageAlt").HasMaxLength(ArticleRules.ImageTextMaxLength);
            image.Property(i => i.Caption).HasColumnName("FeaturedImageCaption").HasMaxLength(ArticleRules.ImageTextMaxLength);
            image.Property(i => i.Credit).HasColumnName("FeaturedImageCredit").HasMaxLength(ArticleRules.SourceNameMaxLength);
        });
        builder.ComplexProperty(a => a.Source, source =>
        {
            source.Property(s => s.Name).HasColumnName("SourceName").HasMaxLength(ArticleRules.SourceNameMaxLength);
            source.Property(s => s.Url).HasColumnName("SourceUrl").HasMaxLength(ArticleRules.UrlMaxLength);
        });
        builder.ComplexProperty(a => a.Seo, seo =>
        {
            seo.Property(s => s.MetaTitle).HasColumnName("SeoMetaTitle").HasMaxLength(ArticleRules.MetaTitleMaxLength);
            seo.Property(s => s.MetaDescription).HasColumnName("SeoMetaDescription").HasMaxLength(ArticleRules.MetaDescriptionMaxLength);
            seo.Property(s => s.SocialImage).HasColumnName("SeoSocialImage").HasMaxLength(ArticleRules.UrlMaxLength);
        });

        builder.HasMany(a => a.Terms).WithOne().HasForeignKey(t => t.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Recommendations).WithOne().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.FormerSlugs).WithOne().HasForeignKey(f => f.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.NewRevisions).WithOne().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        foreach (var navigation in new[] { nameof(Article.Terms), nameof(Article.Recommendations), nameof(Article.FormerSlugs), nameof(Article.NewRevisions) })
        {
            builder.Navigation(navigation).UsePropertyAccessMode(PropertyAccessMode.Field);
        }

        builder.Ignore(a => a.AuthorIds);
        builder.Ignore(a => a.TagIds);
        builder.Ignore(a => a.RecommendationIds);
        builder.Ignore(a => a.Content);
        OrderColumns(builder.Metadata);
    }

    /// <summary>
    /// SQLite keeps the part of a row that does not fit its page in overflow pages, which it must read to reach any
    /// column stored after them. So the columns every public read filters on come first and the long texts last:
    /// filtering and listing never touch a body. The other stores ignore the order of existing columns.
    /// </summary>
    private static void OrderColumns(IMutableEntityType article)
    {
        string[] first = [nameof(Article.Id), nameof(Article.SiteId), nameof(Article.Status), nameof(Article.DeletedAt), nameof(Article.PublishedAt)];
        string[] last = [nameof(Article.BodyFormat), nameof(Article.Body), nameof(Article.MarkdownSource), nameof(Article.SearchText)];
        var middle = article.GetProperties().Where(p => !first.Contains(p.Name) && !last.Contains(p.Name))
            .Concat(article.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()));
        var order = 0;
        foreach (var property in first.Select(article.GetProperty).Concat(middle).Concat(last.Select(article.GetProperty)))
        {
            property.SetColumnOrder(order++);
        }
    }
}

internal sealed class ArticleTermConfiguration : IEntityTypeConfiguration<ArticleTerm>
{
    public void Configure(EntityTypeBuilder<ArticleTerm> builder)
    {
        builder.ToTable("ArticleTerms");
        builder.HasKey(t => new { t.ArticleId, t.TermId });
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.HasOne<TaxonomyTerm>().WithMany().HasForeignKey(t => t.TermId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(t => t.TermId);
    }
}

internal sealed class ArticleRecommendationConfiguration : IEntityTypeConfiguration<ArticleRecommendation>
{
    public void Configure(EntityTypeBuilder<ArticleRecommendation> builder)
    {
        builder.ToTable("ArticleRecommendations");
        builder.HasKey(r => new { r.ArticleId, r.RecommendedId });
        builder.HasOne<Article>().WithMany().HasForeignKey(r => r.RecommendedId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(r => r.RecommendedId);
    }
}

internal sealed class ArticleFormerSlugConfiguration : IEntityTypeConfiguration<ArticleFormerSlug>
{
    public void Configure(EntityTypeBuilder<ArticleFormerSlug> builder)
    {
        builder.ToTable("ArticleFormerSlugs");
        builder.HasKey(f => new { f.ArticleId, f.Slug });
        builder.Property(f => f.Slug).HasMaxLength(ArticleRules.SlugMaxLength);
        builder.HasIndex(f => new { f.SiteId, f.Slug }).IsUnique();
    }
}

internal sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> builder)
    {
        builder.ToTable("ArticleRevisions");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        // One revision per article version: a second writer of the same version fails here as well.
        builder.HasIndex(r => new { r.ArticleId, r.Number }).IsUnique();
        builder.Property(r => r.Action).HasConversion<string>().HasMaxLength(40).IsRequired();
        // Revisions are never rewritten.
        builder.Property(r => r.Changes).HasImmutableJsonConversion().IsRequired();
        builder.Property(r => r.Snapshot).HasImmutableJsonConversion().IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(ArticleRules.ActorMaxLength).IsRequired();
    }
}

internal sealed class PublishedArticleDocumentConfiguration : IEntityTypeConfiguration<PublishedArticleDocument>
{
    /// <summary>The longest ETag a document gets: a quoted base64 of 16 bytes is 24 characters.</summary>
    private const int ETagMaxLength = 64;

    public void Configure(EntityTypeBuilder<PublishedArticleDocument> builder)
    {
        builder.ToTable("PublishedArticleDocuments");
        builder.HasKey(d => d.ArticleId);
        builder.HasOne<Article>().WithOne().HasForeignKey<PublishedArticleDocument>(d => d.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Slug).HasMaxLength(ArticleRules.SlugMaxLength).IsRequired();
        builder.HasIndex(d => new { d.SiteId, d.Slug }).IsUnique();
        builder.Property(d => d.Json).IsRequired();
        builder.Property(d => d.ETag).HasMaxLength(ETagMaxLength).IsRequired();
        builder.Property(d => d.Summary).IsRequired();

        // As for articles (see ArticleConfiguration): the short list item before the long document, so a list reads
        // no overflow page of SQLite's.
        string[] order = [nameof(PublishedArticleDocument.ArticleId), nameof(PublishedArticleDocument.SiteId),
            nameof(PublishedArticleDocument.Slug), nameof(PublishedArticleDocument.ETag), nameof(PublishedArticleDocument.Summary),
            nameof(PublishedArticleDocument.Json)];
        for (var i = 0; i < order.Length; i++)
        {
            builder.Property(order[i]).HasColumnOrder(i);
        }
    }
}
