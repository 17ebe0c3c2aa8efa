namespace Daxdi.Infrastructure.Persistence.Migrations;

/// <summary>
/// Data step of the AuthorKeySites migrations (one SQL for the three stores: quoted identifiers are standard SQL).
/// Author keys used to name an author slug without a site. A slug that names exactly one author profile binds the key
/// to that profile and its site; a key whose slug is ambiguous or unknown stays unbound, which refuses every request
/// (403 <c>auth.author_unbound</c>) until an admin issues a new key.
/// </summary>
internal static class AuthorKeyBinding
{
    public const string Sql = """
        UPDATE "ApiKeys" SET
            "AuthorId" = (SELECT t."Id" FROM "TaxonomyTerms" t WHERE t."Kind" = 'Author' AND t."Slug" = "ApiKeys"."AuthorSlug"),
            "SiteId" = (SELECT t."SiteId" FROM "TaxonomyTerms" t WHERE t."Kind" = 'Author' AND t."Slug" = "ApiKeys"."AuthorSlug")
        WHERE "AuthorSlug" IS NOT NULL
            AND (SELECT COUNT(*) FROM "TaxonomyTerms" t WHERE t."Kind" = 'Author' AND t."Slug" = "ApiKeys"."AuthorSlug") = 1;
        """;
}
