namespace Daxdi.Application.Features.Articles.Rendering;

/// <summary>A body that goes through every Markdig extension and every HTML path the renderer has.</summary>
internal static class WarmUp
{
    public const string Markdown = """
        # Heading with *emphasis*, **strong**, ~~strike~~, ==mark==, ^sup^, ~sub~ and ++insert++

        A paragraph with [a link](https://example.com/a "title"), an ![image](https://example.com/i.png), an autolink
        https://example.com/b, www.example.com, a footnote[^1], `code`, "quotes" -- and... an abbreviation HTML.

        *[HTML]: Hyper Text Markup Language
        [^1]: The footnote.
        [ref]: https://example.com/ref

        > A quote with a [reference link][ref]
        > > nested

        - item
          - nested item
        - [ ] task
        1. ordered

        Term
        :   Definition

        | a | b |
        |---|:-:|
        | 1 | 2 |

        +---+---+
        | x | y |
        +---+---+

        ```csharp
        var code = true;
        ```

        ::: note
        A custom container
        :::

        $$ math $$ and $inline$ math {#id .class}

        <div><p>Raw <b>HTML</b> with <a href="javascript:alert(1)" onclick="x()">a bad link</a>,
        <table><tr><td>cell</td></tr></table><svg><path/></svg><script>x()</script><!-- comment --></p></div>
        """;
}
