using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Delivery;
using FluentValidation;

namespace Daxdi.Tests.Unit;

/// <summary>Reader searches are parsed once and rendered for each engine, never passed through.</summary>
public sealed class SearchQueryTests
{
    [Theory]
    [InlineData("ferry strike", "((\"ferry\" AND \"strike\"))", "((ferry) & (strike))")]
    [InlineData("\"harbour fees\" -toll", "((\"harbour fees\") NOT \"toll\")", "((harbour <-> fees) & !(toll))")]
    [InlineData("ferry OR bus", "((\"ferry\")) OR ((\"bus\"))", "((ferry)) | ((bus))")]
    [InlineData("stal*", "((\"stal\"*))", "((stal:*))")]
    [InlineData("covid-19 café", "((\"covid 19\" AND \"café\"))", "((covid & 19) & (café))")]
    [InlineData("NEAR(ferry) AND :^", "((\"NEAR ferry\" AND \"AND\"))", "((NEAR & ferry) & (AND))")]
    public void Searches_render_to_each_engine_with_every_term_quoted(string q, string fts5, string tsquery)
    {
        var query = SearchQuery.Parse(q);

        Assert.Equal(fts5, SqliteArticleSearch.Match(query));
        Assert.Equal(tsquery, PostgreSqlArticleSearch.TsQuery(query));
    }

    [Theory]
    [InlineData("\"open quote")]
    [InlineData("OR ferry")]
    [InlineData("ferry OR")]
    [InlineData("ferry OR OR bus")]
    [InlineData("-ferry -bus")]
    public void Malformed_searches_are_validation_errors_on_q(string q)
    {
        var error = Assert.Throws<ValidationException>(() => SearchQuery.Parse(q));

        Assert.Equal("q", Assert.Single(error.Errors).PropertyName);
    }

    [Fact]
    public void Long_searches_are_refused()
    {
        Assert.Throws<ValidationException>(() => SearchQuery.Parse(new string('a', SearchQuery.MaxLength + 1)));
        Assert.Throws<ValidationException>(() => SearchQuery.Parse(string.Join(' ', Enumerable.Range(0, SearchQuery.MaxTerms + 1).Select(i => $"w{i}"))));
    }
}
