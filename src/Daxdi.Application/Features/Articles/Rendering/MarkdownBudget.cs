using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;

namespace Daxdi.Application.Features.Articles.Rendering;

/// <summary>
/// Lets Markdig's parsers check the <see cref="RenderBudget"/> of the body they parse. Markdig has no cancellation,
/// so this adds parsers that match nothing and run first: one for every line (block phase), and one before every
/// other inline parser at every character where one of them starts (inline phase). Each checks the budget, which
/// Markdig hands them in its parser context. Installed last, so it sees the characters the extensions added; plain
/// text between those characters is still read in runs (checking at every letter tripled Markdig's time).
/// </summary>
public static class MarkdownBudget
{
    private static readonly char[] Ascii = [.. Enumerable.Range(1, 127).Select(c => (char)c)];

    public static void Install(MarkdownPipelineBuilder builder) => builder.Extensions.Add(new Extension());

    public static MarkdownParserContext Context(RenderBudget budget)
    {
        var context = new MarkdownParserContext();
        context.Properties[typeof(RenderBudget)] = budget;
        return context;
    }

    private sealed class Extension : IMarkdownExtension
    {
        public void Setup(MarkdownPipelineBuilder pipeline)
        {
            var openers = pipeline.InlineParsers.SelectMany(p => p.OpeningCharacters ?? []).Distinct().ToArray();
            pipeline.BlockParsers.Insert(0, new BlockCheck(Ascii));
            pipeline.BlockParsers.Insert(0, new BlockCheck(null));
            pipeline.InlineParsers.Insert(0, new InlineCheck(openers));
            pipeline.InlineParsers.Insert(0, new InlineCheck(null));
        }

        public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
        {
        }
    }

    private static void Check(MarkdownParserContext? context) =>
        ((RenderBudget?)context?.Properties.GetValueOrDefault(typeof(RenderBudget)))?.Check();

    /// <summary>Runs before the other block parsers on every line (any first character when <c>null</c>).</summary>
    private sealed class BlockCheck : BlockParser
    {
        public BlockCheck(char[]? openingCharacters) => OpeningCharacters = openingCharacters;

        public override BlockState TryOpen(BlockProcessor processor)
        {
            Check(processor.Context);
            return BlockState.None;
        }
    }

    /// <summary>Runs before the other inline parsers at every character (any character when <c>null</c>).</summary>
    private sealed class InlineCheck : InlineParser
    {
        public InlineCheck(char[]? openingCharacters) => OpeningCharacters = openingCharacters;

        public override bool Match(InlineProcessor processor, ref StringSlice slice)
        {
            Check(processor.Context);
            return false;
        }
    }
}
