using Daxdi.Application.Features.Articles.Similarity;

namespace Daxdi.Tests.Unit;

/// <summary>The MinHash signatures behind the import's duplicate check, on the import fixtures.</summary>
public sealed class TextSignatureTests
{
    /// <summary>The signature the import compares: of the page once extracted.</summary>
    private static uint[] Of(string fixture) => TextSignature.Of(PageExtractorTests.Extract(fixture).SimilarityText)!;

    [Fact]
    public void The_same_text_scores_1_whatever_its_case_accents_and_punctuation()
    {
        Assert.Equal(1.0, TextSignature.Similarity(TextSignature.Of("Café reopens, on the pier!")!, TextSignature.Of("cafe REOPENS on the pier")!));
    }

    [Fact]
    public void A_light_edit_stays_far_above_the_threshold_and_a_same_topic_story_far_below()
    {
        var original = Of("doubled-article.txt");

        Assert.InRange(TextSignature.Similarity(original, Of("near-duplicate.txt")), 0.6, 0.99);
        Assert.InRange(TextSignature.Similarity(original, Of("same-topic.txt")), 0.0, 0.1);
    }

    [Fact]
    public void Short_and_empty_texts()
    {
        Assert.Null(TextSignature.Of(" ... "));
        Assert.Equal(1.0, TextSignature.Similarity(TextSignature.Of("Strike")!, TextSignature.Of("strike.")!));
    }
}
