using Daxdi.Application.Common;
using Daxdi.Domain.Articles;

namespace Daxdi.Tests.Unit;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Harbour Bridge Reopens", "harbour-bridge-reopens")]
    [InlineData("Ça coûte cher: l'été à Zürich", "ca-coute-cher-l-ete-a-zurich")]
    [InlineData("Straße & Brücke", "strasse-brucke")]
    [InlineData("Αθήνα", "athina")]
    [InlineData("Москва сегодня", "moskva-segodnya")]
    [InlineData("  --Already--kebab--  ", "already-kebab")]
    [InlineData("2026: a year in 10 charts", "2026-a-year-in-10-charts")]
    [InlineData("!!!", Slugs.Fallback)]
    public void Titles_become_lowercase_ascii_kebab(string title, string slug) =>
        Assert.Equal(slug, Slugs.From(title, ArticleRules.SlugMaxLength));

    [Fact]
    public void Long_titles_are_cut_at_a_word_boundary_within_the_limit()
    {
        var title = string.Join(' ', Enumerable.Repeat("newsroom", 40));

        var slug = Slugs.From(title, ArticleRules.SlugMaxLength);

        Assert.True(slug.Length <= ArticleRules.SlugMaxLength, slug);
        Assert.EndsWith("newsroom", slug, StringComparison.Ordinal);
        Assert.DoesNotContain("--", slug, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taken_slug_gets_the_first_free_numeric_suffix()
    {
        var taken = new HashSet<string> { "budget-vote", "budget-vote-2" };

        Assert.Equal("budget-vote-3", Slugs.FirstFree("budget-vote", 120, taken.Contains));
        Assert.Equal("fresh", Slugs.FirstFree("fresh", 120, taken.Contains));
    }

    [Fact]
    public void A_suffix_never_pushes_the_slug_past_the_limit()
    {
        var full = new string('a', 60) + "-" + new string('b', 59);

        var slug = Slugs.FirstFree(full, 120, s => s == full);

        Assert.True(slug.Length <= 120, slug);
        Assert.EndsWith("-2", slug, StringComparison.Ordinal);
    }
}
