using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Articles.Import;
using Daxdi.Domain.Common;
using Daxdi.Domain.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Endpoints;

/// <summary>The draft an import stored, the import's report, and the article it resembles (with <c>allowDuplicate=true</c>).</summary>
public sealed record ImportedArticle(ArticleDto Article, ImportReport Report, DuplicateOf? DuplicateOf);

/// <summary>Admin: scraped pages in, clean drafts out (editors and admins).</summary>
public static class ImportEndpoints
{
    public const string Html = "text/html";
    public const string Text = "text/plain";

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/sites/{site}/articles/import", Import).WithTags("Articles").WithName("importArticle")
            .RequireRoles(ApiRole.Editor)
            .Accepts<string>(Html, Text)
            .WithMetadata(new RequestSizeLimitAttribute(ImportedPage.MaxBytes), new DecodesItsCharset())
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Import a scraped page (HTML or plain text, at most 5 MB) as a draft.</summary>
    /// <remarks>
    /// HTML goes through a readability extractor (navigation, scripts and asides go) and the HTML sanitizer; plain text
    /// is split into paragraphs at blank lines. Both then lose their site chrome by the configured rules (promos, cookie
    /// banners, "recommended" blocks, newsletter prompts, share bars, footers, the site's name), and every paragraph seen
    /// before is dropped, so a page carrying its story twice keeps one copy. The draft is stored as any draft is.
    /// The report lists what was extracted, removed (with the rule) and collapsed.
    /// A near-duplicate of an article of the site answers 409 with <c>duplicateOf</c> and nothing is stored, unless
    /// <c>allowDuplicate=true</c>. A page with no article left answers 422 with the report. The charset is the one of
    /// <c>Content-Type</c>, else the page's <c>&lt;meta charset&gt;</c>, else UTF-8.
    /// </remarks>
    /// <param name="site">The site's key.</param>
    /// <param name="allowDuplicate">Store the draft even when it is a near-duplicate; <c>duplicateOf</c> still names the original.</param>
    /// <response code="201">The draft, the report and <c>duplicateOf</c> when it resembles an existing article; <c>Location</c> is set.</response>
    /// <response code="400">Empty, binary or undecodable input (<c>import.empty</c>, <c>import.binary</c>, <c>import.unknown_charset</c>, <c>import.undecodable</c>, <c>import.too_complex</c>).</response>
    /// <response code="409"><c>import.duplicate</c>: a near-duplicate of <c>duplicateOf</c>; the problem carries <c>duplicateOf</c> and <c>report</c>.</response>
    /// <response code="422"><c>import.not_an_article</c>: nothing like an article left; the problem carries <c>report</c>.</response>
    public static async Task<Results<Created<ImportedArticle>, ProblemHttpResult>> Import(string site, HttpRequest request, ISender sender,
        CancellationToken ct, bool allowDuplicate = false)
    {
        if (request.ContentType is null && request.ContentLength is null or 0)
        {
            throw DomainException.Invalid(ImportedPage.EmptyCode, "The body is empty: send the page's HTML or text.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !(type.MediaType.Equals(Html, StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals(Text, StringComparison.OrdinalIgnoreCase)))
        {
            throw new BadHttpRequestException("Send the page as text/html or text/plain.", StatusCodes.Status415UnsupportedMediaType);
        }

        var format = type.MediaType.Equals(Html, StringComparison.OrdinalIgnoreCase) ? PageFormat.Html : PageFormat.Text;
        var body = await ReadAsync(request, ct);
        var charset = type.Charset.HasValue ? HeaderUtilities.RemoveQuotes(type.Charset).Value : null;
        var outcome = await sender.Send(new ImportArticle(site, format, body, charset, allowDuplicate), ct);
        return outcome.Result switch
        {
            ImportResult.Created => TypedResults.Created($"/api/v1/admin/articles/{outcome.Article!.Id}",
                new ImportedArticle(outcome.Article, outcome.Report, outcome.DuplicateOf)),
            ImportResult.Duplicate => Problem(StatusCodes.Status409Conflict, "import.duplicate", "Near-duplicate", outcome,
                ("duplicateOf", outcome.DuplicateOf!)),
            _ => Problem(StatusCodes.Status422UnprocessableEntity, "import.not_an_article", "No article found", outcome),
        };
    }

    private static ProblemHttpResult Problem(int status, string code, string title, ImportOutcome outcome,
        params (string Name, object Value)[] more)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code, ["report"] = outcome.Report };
        foreach (var (name, value) in more)
        {
            extensions[name] = value;
        }

        return TypedResults.Problem(outcome.Detail, statusCode: status, title: title, extensions: extensions);
    }

    /// <summary>Reads the whole body, stopping at the limit even when no server enforces it (a chunked body, a test host).</summary>
    private static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 16 * 1024, ImportedPage.MaxBytes));
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > ImportedPage.MaxBytes)
            {
                throw new BadHttpRequestException("The page is larger than 5 MB.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
