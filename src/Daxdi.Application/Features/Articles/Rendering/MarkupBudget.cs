using System.Collections.Frozen;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace Daxdi.Application.Features.Articles.Rendering;

/// <summary>Why a body was refused before it was parsed to the end.</summary>
public enum MarkupLimit
{
    /// <summary>Elements nest deeper than <see cref="MarkupBudget.MaxDepth"/>.</summary>
    Depth,

    /// <summary>The document would hold more than <see cref="MarkupBudget.MaxElements"/> elements.</summary>
    Elements,

    /// <summary>Rendering took more than <see cref="RenderBudget.MaxMilliseconds"/> of CPU time.</summary>
    Time,
}

/// <summary>The body breaks a limit of <see cref="MarkupBudget"/>.</summary>
public sealed class MarkupLimitException(MarkupLimit limit) : Exception($"The markup exceeds its {limit} limit.")
{
    public MarkupLimit Limit { get; } = limit;
}

/// <summary>
/// Keeps the HTML parser's work linear in the size of the body. The HTML tree builder scans its stack of open
/// elements for almost every tag, so nesting makes it quadratic (<c>&lt;div&gt;</c> × 32,000 took 3 s), and it re-opens
/// unclosed formatting elements in every new block (160 KB became 1.2 million elements in 5 s). AngleSharp's own depth
/// cap limits the tree, not the stack, so neither is prevented.
/// <para>
/// This watches the tokens as the parser reads them and follows a simplified model of the tree builder's stack and
/// list of active formatting elements. The model pops an element only where the tree builder is sure to pop it too,
/// and counts every element the tree builder can create (implied ones and re-opened formatting elements included),
/// so it never sees less nesting than the parser has, up to a small constant factor. The parse is stopped with
/// <see cref="MarkupLimitException"/> as soon as the model passes a limit, so no body costs more than about
/// <see cref="MaxDepth"/> steps per token. It also checks the <see cref="RenderBudget"/> as it goes.
/// </para>
/// </summary>
public sealed class MarkupBudget(RenderBudget budget)
{
    /// <summary>Deepest nesting of elements. Real articles stay under 20; browsers' parsers stop at 512.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Most elements one body may have. A 10,000-word long read has about 2,000, the densest 64 KiB of markup about
    /// 2,500; sanitizing costs some microseconds per element, so this keeps it well inside the render budget.
    /// </summary>
    public const int MaxElements = 5_000;

    private static readonly FrozenSet<string> Formatting = Set("a b big code em font i nobr s small strike strong tt u");

    private static readonly FrozenSet<string> Void = Set(
        "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr");

    private static readonly FrozenSet<string> Special = Set(
        "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd " +
        "details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header " +
        "hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object " +
        "ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot " +
        "th thead title tr track ul wbr xmp mi mo mn ms mtext annotation-xml foreignobject desc");

    private static readonly FrozenSet<string> ClosesParagraph = Set(
        "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header hgroup " +
        "main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form plaintext table hr xmp dd dt li");

    private static readonly FrozenSet<string> Headings = Set("h1 h2 h3 h4 h5 h6");

    private static readonly FrozenSet<string> Markers = Set("applet marquee object template td th caption");

    private static readonly FrozenSet<string> Scope = Set(
        "applet caption html table td th marquee object template mi mo mn ms mtext annotation-xml foreignobject desc title");

    private static readonly FrozenSet<string> ButtonScope = Set([.. Scope, "button"]);

    private static readonly FrozenSet<string> ListItemScope = Set([.. Scope, "ol", "ul"]);

    private static readonly FrozenSet<string> TableScope = Set("html table template");

    private static readonly FrozenSet<string> TableParts = Set("tbody thead tfoot table");

    private static readonly FrozenSet<string> Rows = Set("tr");

    private static readonly FrozenSet<string> Tables = Set("table");

    private static readonly FrozenSet<string> ForeignRoots = Set("svg math");

    // Start tags that leave foreign content (SVG, MathML) for HTML.
    private static readonly FrozenSet<string> ForeignBreakout = Set(
        "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta " +
        "nobr ol p pre ruby s small span strong strike sub sup table tt u ul var");

    private readonly List<Open> _stack = [];
    private readonly List<Open?> _formatting = []; // null is a marker
    private int _elements = 3; // html, head and body

    /// <summary>Parser options that run this budget on every token.</summary>
    public HtmlParserOptions ParserOptions() => new() { OnToken = Observe };

    private void Observe(HtmlToken token, TextRange range)
    {
        budget.Check();
        switch (token.Type)
        {
            case HtmlTokenType.StartTag:
                Start((HtmlTagToken)token);
                break;
            case HtmlTokenType.EndTag:
                End(token.Name);
                break;
            case HtmlTokenType.Character:
                Reconstruct();
                break;
        }
    }

    private void Start(HtmlTagToken tag)
    {
        var name = tag.Name;
        if (name is "html" or "body" or "head")
        {
            return;
        }

        var foreign = InForeignContent();
        if (foreign && ForeignBreakout.Contains(name))
        {
            while (_stack.Count > 0 && _stack[^1].Foreign)
            {
                PopTo(_stack.Count - 1);
            }

            foreign = false;
        }

        if (!foreign)
        {
            CloseImplied(name);
        }

        if (!ClosesParagraph.Contains(name))
        {
            Reconstruct();
        }

        Count(1);
        var isForeign = foreign || ForeignRoots.Contains(name);
        if (Void.Contains(name) || (isForeign && tag.IsSelfClosing))
        {
            return;
        }

        var open = new Open(name, isForeign, FormattingKey(tag));
        Push(open);
        if (open.FormattingKey is not null)
        {
            AddFormatting(open);
        }
        else if (!isForeign && Markers.Contains(name))
        {
            _formatting.Add(null);
        }
    }

    /// <summary>The elements a start tag closes in the tree builder, whatever the insertion mode.</summary>
    private void CloseImplied(string name)
    {
        if (ClosesParagraph.Contains(name))
        {
            PopToInScope("p", ButtonScope);
        }

        switch (name)
        {
            case "li":
                PopToNearest(n => n == "li", stopAtSpecial: true);
                break;
            case "dd" or "dt":
                PopToNearest(n => n is "dd" or "dt", stopAtSpecial: true);
                break;
            case var heading when Headings.Contains(heading):
                if (_stack.Count > 0 && Headings.Contains(_stack[^1].Name))
                {
                    PopTo(_stack.Count - 1);
                }

                break;
            case "option" or "optgroup":
                if (_stack.Count > 0 && _stack[^1].Name == "option")
                {
                    PopTo(_stack.Count - 1);
                }

                break;
            case "button":
                PopToInScope(name, Scope);
                break;
            case "a" or "nobr":
                if (LastFormatting(name) >= 0)
                {
                    EndFormatting(name);
                }

                break;
            case "table":
                PopCurrentTable();
                break;
            case "tr":
                PopAboveTableContext(TableParts);
                break;
            case "td" or "th":
                if (!PopAboveTableContext(Rows) && PopAboveTableContext(TableParts))
                {
                    Push(new Open("tr", foreign: false, formattingKey: null));
                    Count(2); // the implied tbody and tr
                }

                break;
            case "tbody" or "thead" or "tfoot" or "caption" or "colgroup":
                PopAboveTableContext(Tables);
                break;
        }
    }

    private void End(string name)
    {
        if (name is "html" or "body" or "head")
        {
            return;
        }

        if (InForeignContent())
        {
            for (var i = _stack.Count - 1; i >= 0 && _stack[i].Foreign; i--)
            {
                if (_stack[i].Name == name)
                {
                    PopTo(i);
                    return;
                }
            }
        }

        switch (name)
        {
            case "p":
                if (!PopToInScope("p", ButtonScope))
                {
                    Count(1); // an empty <p> is inserted and closed
                }

                return;
            case "br":
                Reconstruct();
                Count(1);
                return;
            case "li":
                PopToInScope("li", ListItemScope);
                return;
            case "table" or "tbody" or "thead" or "tfoot" or "tr" or "td" or "th" or "caption":
                PopToInScope(name, TableScope);
                return;
            case var heading when Headings.Contains(heading):
                PopToNearest(n => Headings.Contains(n), Scope);
                return;
            case var formatting when Formatting.Contains(formatting):
                EndFormatting(formatting);
                return;
            case var block when Special.Contains(block):
                PopToInScope(block, Scope);
                return;
            default:
                PopToNearest(n => n == name, stopAtSpecial: true);
                return;
        }
    }

    /// <summary>The adoption agency algorithm, as far as it changes the stack's depth and the element count.</summary>
    private void EndFormatting(string name)
    {
        var entry = LastFormatting(name);
        if (entry < 0)
        {
            PopToNearest(n => n == name, stopAtSpecial: true);
            return;
        }

        var element = _formatting[entry]!;
        var position = _stack.LastIndexOf(element);
        if (position < 0)
        {
            _formatting.RemoveAt(entry);
            return;
        }

        if (!InScope(position, Scope))
        {
            return;
        }

        var furthestBlock = -1;
        for (var i = position + 1; i < _stack.Count; i++)
        {
            if (Special.Contains(_stack[i].Name))
            {
                furthestBlock = i;
                break;
            }
        }

        if (furthestBlock < 0)
        {
            PopTo(position);
            _formatting.Remove(element);
            return;
        }

        // The element moves below the furthest block as a clone, with up to three re-created formatting elements:
        // the depth is unchanged and a few elements are created.
        var clone = element.Clone();
        clone.OnStack = true;
        element.OnStack = false;
        _stack.RemoveAt(position);
        _stack.Insert(furthestBlock - 1, clone);
        _formatting[entry] = clone;
        Count(4);
    }

    /// <summary>Re-opens the formatting elements that a closed block left open, as the tree builder does.</summary>
    private void Reconstruct()
    {
        if (_formatting.Count == 0 || _formatting[^1] is not { OnStack: false })
        {
            return;
        }

        var first = _formatting.Count - 1;
        while (first > 0 && _formatting[first - 1] is { OnStack: false })
        {
            first--;
        }

        for (var i = first; i < _formatting.Count; i++)
        {
            var clone = _formatting[i]!.Clone();
            Count(1);
            Push(clone);
            _formatting[i] = clone;
        }
    }

    /// <summary>The "Noah's Ark" clause: at most three identical formatting elements stay listed after the last marker.</summary>
    private void AddFormatting(Open element)
    {
        var same = 0;
        var earliest = -1;
        for (var i = _formatting.Count - 1; i >= 0 && _formatting[i] is { } entry; i--)
        {
            if (entry.FormattingKey == element.FormattingKey)
            {
                same++;
                earliest = i;
            }
        }

        if (same >= 3)
        {
            _formatting.RemoveAt(earliest);
        }

        _formatting.Add(element);
    }

    private int LastFormatting(string name)
    {
        for (var i = _formatting.Count - 1; i >= 0 && _formatting[i] is { } entry; i--)
        {
            if (entry.Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private bool PopToInScope(string name, FrozenSet<string> scope) => PopToNearest(n => n == name, scope);

    private bool PopToNearest(Func<string, bool> match, FrozenSet<string> scope)
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            if (match(_stack[i].Name))
            {
                PopTo(i);
                return true;
            }

            if (scope.Contains(_stack[i].Name))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// For <c>li</c>, <c>dd</c>, <c>dt</c> and end tags the tree builder has no special rule for: the nearest match,
    /// unless a special element other than <c>address</c>, <c>div</c> and <c>p</c> comes first.
    /// </summary>
    private void PopToNearest(Func<string, bool> match, bool stopAtSpecial)
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            var name = _stack[i].Name;
            if (match(name))
            {
                PopTo(i);
                return;
            }

            if (stopAtSpecial && Special.Contains(name) && name is not ("address" or "div" or "p"))
            {
                return;
            }
        }
    }

    /// <summary>Closes what is open above the nearest of <paramref name="context"/>, if a table context is open.</summary>
    private bool PopAboveTableContext(FrozenSet<string> context)
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            var name = _stack[i].Name;
            if (context.Contains(name))
            {
                if (i + 1 < _stack.Count)
                {
                    PopTo(i + 1);
                }

                return true;
            }

            if (name is "table" or "template" or "html")
            {
                return false;
            }
        }

        return false;
    }

    private bool InScope(int position, FrozenSet<string> scope)
    {
        for (var i = _stack.Count - 1; i > position; i--)
        {
            if (scope.Contains(_stack[i].Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pops the element at <paramref name="position"/> and everything above it.</summary>
    private void PopTo(int position)
    {
        for (var i = _stack.Count - 1; i >= position; i--)
        {
            if (!_stack[i].Foreign && Markers.Contains(_stack[i].Name))
            {
                var marker = _formatting.LastIndexOf(null);
                if (marker >= 0)
                {
                    _formatting.RemoveRange(marker, _formatting.Count - marker);
                }
            }
        }

        for (var i = position; i < _stack.Count; i++)
        {
            _stack[i].OnStack = false;
        }

        _stack.RemoveRange(position, _stack.Count - position);
    }

    private void Push(Open element)
    {
        element.OnStack = true;
        _stack.Add(element);
        if (_stack.Count > MaxDepth)
        {
            throw new MarkupLimitException(MarkupLimit.Depth);
        }
    }

    private void Count(int elements)
    {
        _elements += elements;
        if (_elements > MaxElements)
        {
            throw new MarkupLimitException(MarkupLimit.Elements);
        }
    }

    private bool InForeignContent() => _stack.Count > 0 && _stack[^1].Foreign;

    private static string? FormattingKey(HtmlTagToken tag) =>
        Formatting.Contains(tag.Name)
            ? string.Join('\u0001', tag.Attributes.Select(a => $"{a.Name}={a.Value}").Order(StringComparer.Ordinal).Prepend(tag.Name))
            : null;

    private static FrozenSet<string> Set(string names) => Set(names.Split(' '));

    private static FrozenSet<string> Set(IEnumerable<string> names) => names.ToFrozenSet(StringComparer.Ordinal);

    /// <summary><c>&lt;table&gt;</c> directly in a table (not in a cell) closes that table first.</summary>
    private void PopCurrentTable()
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            var name = _stack[i].Name;
            if (name == "table")
            {
                PopTo(i);
                return;
            }

            if (name is "td" or "th" or "caption" or "template" or "html")
            {
                return;
            }
        }
    }

    /// <summary>An element the model holds open, or a formatting element that the list keeps for re-opening.</summary>
    private sealed class Open(string name, bool foreign, string? formattingKey)
    {
        public string Name { get; } = name;

        public bool Foreign { get; } = foreign;

        /// <summary>For formatting elements: name and attributes, for the Noah's Ark clause.</summary>
        public string? FormattingKey { get; } = formattingKey;

        public bool OnStack { get; set; }

        public Open Clone() => new(Name, Foreign, FormattingKey);
    }
}
