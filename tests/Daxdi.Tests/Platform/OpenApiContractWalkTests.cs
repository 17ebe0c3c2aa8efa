using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Webhooks;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Platform;

/// <summary>
/// Calls every operation of the served OpenAPI document, with a valid request and with each error status it declares
/// that a request can provoke, and checks every answer (status, body, headers) against the document. Operations are
/// read from the document, so a new one is walked without editing this class: it is called with values taken from
/// its parameters and its request example, and the walk fails until it answers a success.
/// </summary>
public sealed class OpenApiContractWalkTests(ContractHosts hosts) : IClassFixture<ContractHosts>
{
    /// <summary>Statuses no request can cause on a healthy host (a bug, an unreachable store); declared, not provoked.</summary>
    private static readonly HashSet<int> Unprovokable = [500, 503];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_operation_answers_valid_and_invalid_requests_as_the_document_declares()
    {
        var contract = await OpenApiContract.LoadAsync(hosts.Api.Client(), Ct);
        var world = await World.CreateAsync(hosts);
        var walk = new Walk(contract, hosts, world);
        var scenarios = Scenarios(world);

        foreach (var operation in contract.Operations)
        {
            await walk.RunAsync(operation, scenarios.GetValueOrDefault(operation.OperationId) ?? walk.Generic(operation));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(walk.Summary());
        Assert.True(walk.Violations.Count == 0,
            $"{walk.Violations.Count} contract violations:{Environment.NewLine}{string.Join(Environment.NewLine, walk.Violations)}");
    }

    [Fact]
    public async Task Every_request_and_response_example_matches_its_schema()
    {
        var contract = await OpenApiContract.LoadAsync(hosts.Api.Client(), Ct);
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var operation in contract.Operations)
        {
            var media = (operation.RequestBody?.Content.Values ?? []).Select(m => ("request", m))
                .Concat(operation.Responses.Values.SelectMany(r => r.Content.Values.Select(m => (r.Status, m))));
            foreach (var (where, type) in media)
            {
                if (type.Example is null)
                {
                    violations.Add($"{operation} {where} {type.Name}: no example");
                    continue;
                }

                checkedCount++;
                violations.AddRange(contract.ValidateInstance(type.Schema!, type.Example, $"{operation} {where} {type.Name} example"));
            }
        }

        Assert.True(checkedCount > 0, "No examples were checked.");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>How to make a valid request for the operations that need data of their own; the rest are generic.</summary>
    private static Dictionary<string, Scenario> Scenarios(World w)
    {
        var inFuture = new { at = DateTime.UtcNow.AddDays(30) };
        var scenarios = new Dictionary<string, Scenario>(StringComparer.Ordinal)
        {
            ["createApiKey"] = new(() => Done(World.Admin().WithBody(new { name = "contract", role = "editor" }))),
            ["listApiKeys"] = new(() => Done(World.Admin().WithQuery("limit", "2"))),
            ["getApiKey"] = new(async () => World.Admin().WithPath("id", await w.ApiKeyAsync())),
            ["revokeApiKey"] = new(async () => World.Admin().WithPath("id", await w.ApiKeyAsync()))
            {
                Errors = { [422] = async () => World.Admin().WithPath("id", await w.ApiKeyAsync(revoked: true)) },
            },

            ["createSite"] = new(() => Done(World.Admin().WithBody(World.SiteBody(World.Unique("site")))))
            {
                Errors = { [409] = () => Done(World.Admin().WithBody(World.SiteBody(w.Site))) },
            },
            ["listSites"] = new(() => Done(World.Admin().WithQuery("limit", "1"))),
            ["getSite"] = new(() => Done(World.Admin().WithPath("site", w.Site))),
            ["updateSite"] = new(async () => World.Admin().WithPath("site", await w.SiteAsync()).WithHeader("If-Match", "\"1\"")
                .WithBody(new { name = "Renamed", domain = "renamed.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en" })),
            ["deleteSite"] = new(async () => World.Admin().WithPath("site", await w.SiteAsync()).WithHeader("If-Match", "\"1\""))
            {
                Errors = { [409] = async () => World.Admin().WithPath("site", w.Site).WithHeader("If-Match", await w.ETagAsync($"/api/v1/admin/sites/{w.Site}")) },
            },

            ["importArticle"] = new(() => Done(w.InSite().WithText(World.ScrapedPage())))
            {
                Errors =
                {
                    [409] = async () => w.InSite().WithText(await w.ImportedPageAsync()),
                    [400] = () => Done(w.InSite().WithText(" \n ")),
                    [415] = () => Done(w.InSite().WithBody(new { title = "not a page" })),
                    [422] = () => Done(w.InSite().WithText("Recommended by Our Editors\n\nPreferences\n\nContinue")),
                },
            },

            ["createArticle"] = new(() => Done(w.InSite().WithBody(World.Draft())))
            {
                Variants = () => Done<IEnumerable<Call>>([w.InSite().WithQuery("publish", "true").WithQuery("publishedAt", "2019-05-01T06:30:00Z").WithBody(World.Draft())]),
                Errors = { [409] = async () => w.InSite().WithBody(World.Draft(slug: (await w.DraftAsync()).Slug)) },
            },
            ["createArticles"] = new(() => Done(w.InSite().WithBody(new { items = new[] { new { article = World.Draft() } } })))
            {
                Variants = () => Done<IEnumerable<Call>>([w.InSite().WithQuery("publish", "true").WithBody(new { items = new[] { new { article = World.Draft(), publishedAt = "2019-05-01T06:30:00Z" } } })]),
                Errors = { [409] = async () => w.InSite().WithBody(new { items = new[] { new { article = World.Draft(slug: (await w.DraftAsync()).Slug) } } }) },
            },
            ["listArticles"] = new(() => Done(w.InSite().WithQuery("status", "draft").WithQuery("limit", "2"))),
            ["recordConsent"] = new(() => Done(World.Public(w.Site).WithBody(new { policyVersion = 1, decision = "acceptAll", control = "accept" })))
            {
                Errors = { [422] = () => Done(World.Public(w.Site).WithBody(new { policyVersion = 99, decision = "acceptAll", control = "accept" })) },
            },
            ["getConsentSubject"] = new(() => Done(World.Public(w.Site).WithPath("subjectId", w.ConsentSubject))),
            ["exportConsentSubject"] = new(() => Done(w.InSite().WithPath("subjectId", w.ConsentSubject))),
            ["eraseConsentSubject"] = new(async () => w.InSite().WithPath("subjectId", await w.NewConsentSubjectAsync())),
            ["getArticle"] = new(async () => World.Article((await w.DraftAsync()).Id))
            {
                Variants = async () => [World.Article((await w.RichAsync()).Id), World.Article(w.Published.Id)],
            },
            ["replaceArticle"] = new(async () => World.Article((await w.DraftAsync()).Id, version: 1).WithBody(World.Draft()))
            {
                Variants = async () => [World.Article((await w.DraftAsync()).Id, version: 1).WithBody(World.Rich())],
                Errors = { [409] = async () => World.Article((await w.DraftAsync()).Id, version: 1).WithBody(World.Draft(slug: w.Published.Slug)) },
            },
            ["deleteArticle"] = new(async () => World.Article((await w.DraftAsync()).Id, version: 1)),
            ["publishArticle"] = new(async () => World.Article((await w.DraftAsync()).Id, version: 1))
            {
                Variants = async () => [World.Article((await w.DraftAsync()).Id, version: 1).WithBody(new { publishedAt = "2026-01-02T03:04:05Z" })],
                Errors = { [422] = async () => World.Article((await w.PublishedAsync()).Id, version: 2) },
            },
            ["scheduleArticle"] = new(async () => World.Article((await w.DraftAsync()).Id, version: 1).WithBody(inFuture))
            {
                Errors = { [422] = async () => World.Article((await w.PublishedAsync()).Id, version: 2).WithBody(inFuture) },
            },
            ["unpublishArticle"] = new(async () => World.Article((await w.PublishedAsync()).Id, version: 2))
            {
                Errors = { [422] = async () => World.Article((await w.DraftAsync()).Id, version: 1) },
            },
            ["archiveArticle"] = new(async () => World.Article((await w.PublishedAsync()).Id, version: 2))
            {
                Errors = { [422] = async () => World.Article((await w.DraftAsync()).Id, version: 1) },
            },
            ["setArticleRecommendations"] = new(async () =>
                World.Article((await w.DraftAsync()).Id, version: 1).WithBody(new { articleIds = new[] { w.Published.Id } }))
            {
                Errors =
                {
                    [422] = async () =>
                    {
                        var draft = await w.DraftAsync();
                        return World.Article(draft.Id, version: 1).WithBody(new { articleIds = new[] { draft.Id } });
                    },
                },
            },
            ["listArticleRevisions"] = new(() => Done(World.Article(w.Published.Id).WithQuery("limit", "1"))),
            ["getArticleRevision"] = new(() => Done(World.Article(w.Published.Id).WithPath("number", "2"))),
            ["restoreArticleRevision"] = new(async () =>
            {
                var draft = await w.DraftAsync();
                await w.SendOkAsync(HttpMethod.Put, $"/api/v1/admin/articles/{draft.Id}", World.Draft(), ifMatch: 1);
                return World.Article(draft.Id, version: 2).WithPath("number", "1");
            }),

            ["listPublishedArticles"] = new(() => Done(World.Public("daxdi")))
            {
                Variants = () => Done<IEnumerable<Call>>(
                [
                    World.Public("daxdi").WithQuery("limit", "3").WithQuery("fields", "slug,title,publishedAt"),
                    World.Public("daxdi").WithQuery("limit", "2").WithQuery("fields", "slug,html,source,canonicalUrl,seo,featuredImage"),
                    World.Public("daxdi").WithQuery("q", "bridge"),
                    World.Public("daxdi").WithQuery("limit", "100"),
                ]),
            },
            ["getPublishedArticle"] = new(() => Done(World.Public("daxdi").WithPath("slug", w.DemoSlugs[0])))
            {
                Variants = () => Done(w.DemoSlugs.Select(slug => World.Public("daxdi").WithPath("slug", slug))),
                Errors = { [301] = () => Done(World.Public(w.Site).WithPath("slug", w.FormerSlug)) },
            },
            ["getArticleRecommendations"] = new(() => Done(World.Public("daxdi").WithPath("slug", w.DemoSlugs[0])))
            {
                Variants = () => Done(w.DemoSlugs.Select(slug => World.Public("daxdi").WithPath("slug", slug))),
                Errors = { [301] = () => Done(World.Public(w.Site).WithPath("slug", w.FormerSlug)) },
            },
        };

        scenarios["createWebhook"] = new(async () => World.Admin().WithPath("site", await w.SiteAsync()).WithBody(World.WebhookBody()))
        {
            Errors = { [409] = async () => World.Admin().WithPath("site", await w.FullOfWebhooksAsync()).WithBody(World.WebhookBody()) },
        };
        scenarios["listWebhooks"] = new(async () => (await w.WebhookAsync()).WithQuery("limit", "1"));
        scenarios["getWebhook"] = new(() => w.WebhookAsync());
        scenarios["replaceWebhook"] = new(async () => (await w.WebhookAsync()).WithHeader("If-Match", "\"1\"").WithBody(World.WebhookBody(enabled: false)));
        scenarios["deleteWebhook"] = new(async () => (await w.WebhookAsync()).WithHeader("If-Match", "\"1\""));
        scenarios["rotateWebhookSecret"] = new(async () => (await w.WebhookAsync()).WithHeader("If-Match", "\"1\"").WithBody(new { overlapHours = 1 }))
        {
            Variants = async () => [await w.WebhookAsync()],
        };
        scenarios["pingWebhook"] = new(() => w.WebhookAsync())
        {
            Errors = { [409] = () => w.WebhookAsync(enabled: false) },
        };
        scenarios["listWebhookDeliveries"] = new(async () => (await w.DeliveryAsync()).WithQuery("status", "pending").WithQuery("limit", "1"));
        scenarios["getWebhookDelivery"] = new(() => w.DeliveryAsync())
        {
            Variants = async () => [await w.DeliveryAsync(failed: true)],
        };
        scenarios["redeliverWebhookDelivery"] = new(() => w.DeliveryAsync(failed: true))
        {
            Errors = { [409] = () => w.DeliveryAsync() },
        };

        // The receipt keys' JWKS is read anonymously; rotation is for admins and the compliance role.
        scenarios["getConsentReceiptJwks"] = new(() => Done(new Call(null)));
        scenarios["rotateConsentSigningKey"] = new(() => Done(World.Admin()))
        {
            Variants = () => Done<IEnumerable<Call>>([new Call(w.Keys["compliance"])]),
        };

        scenarios["createConsentPolicy"] = new(() => Done(w.InSite().WithBody(World.ConsentPolicyBody())));
        scenarios["listConsentPolicies"] = new(async () =>
        {
            await w.ConsentPolicyAsync();
            return w.InSite().WithQuery("limit", "1");
        });
        scenarios["getConsentPolicy"] = new(() => w.ConsentPolicyAsync())
        {
            Variants = async () => [await w.ConsentPolicyAsync(published: true)],
        };
        scenarios["replaceConsentPolicy"] = new(async () => (await w.ConsentPolicyAsync()).WithHeader("If-Match", "\"1\"").WithBody(World.ConsentPolicyBody()))
        {
            Errors = { [422] = async () => (await w.ConsentPolicyAsync(published: true)).WithHeader("If-Match", "\"2\"").WithBody(World.ConsentPolicyBody()) },
        };
        scenarios["publishConsentPolicy"] = new(async () => (await w.ConsentPolicyAsync()).WithHeader("If-Match", "\"1\""))
        {
            Errors = { [422] = async () => (await w.ConsentPolicyAsync(published: true)).WithHeader("If-Match", "\"2\"") },
        };
        scenarios["getCurrentConsentPolicy"] = new(() => Done(World.Public("daxdi")))
        {
            Variants = async () =>
            {
                await w.ConsentPolicyAsync(published: true);
                return [World.Public(w.Site)];
            },
        };

        foreach (var (kind, path) in new[] { ("Author", "authors"), ("Tag", "tags"), ("Section", "sections") })
        {
            object Fields(string name, string? slug = null) => kind == "Author"
                ? new { name, slug, bio = "Covers the harbour.", avatarUrl = "https://cdn.example/a.jpg" }
                : new { name, slug, description = "About the harbour." };
            Call Term(string slug, int? version = null) =>
                version is { } v ? w.InSite().WithPath("slug", slug).WithHeader("If-Match", $"\"{v}\"") : w.InSite().WithPath("slug", slug);

            scenarios[$"create{kind}"] = new(() => Done(w.InSite().WithBody(Fields(World.Unique("Term")))))
            {
                Errors = { [409] = async () => w.InSite().WithBody(Fields("Taken", await w.TermAsync(path))) },
            };
            scenarios[$"list{kind}s"] = new(() => Done(w.InSite().WithQuery("limit", "1")));
            scenarios[$"get{kind}"] = new(async () => Term(await w.TermAsync(path)));
            scenarios[$"update{kind}"] = new(async () => Term(await w.TermAsync(path), version: 1).WithBody(Fields("Renamed")))
            {
                Errors = { [409] = async () => Term(await w.TermAsync(path)).WithBody(Fields("Renamed", await w.TermAsync(path))) },
            };
            scenarios[$"delete{kind}"] = new(async () => Term(await w.TermAsync(path), version: 1))
            {
                Variants = async () => [Term(await w.TermAsync(path, used: true)).WithQuery("force", "true")],
                Errors = { [409] = async () => Term(await w.TermAsync(path, used: true)) },
            };
        }

        foreach (var id in new[] { "listPublicTags", "listPublicAuthors", "listPublicSections" })
        {
            scenarios[id] = new(() => Done(World.Public("daxdi")))
            {
                Variants = () => Done<IEnumerable<Call>>([World.Public("daxdi").WithQuery("limit", "2")]),
            };
        }

        scenarios["configureWallet"] = new(() => Done(w.InSite().WithBody(w.WalletBody())))
        {
            Errors = { [409] = async () => World.Admin().WithPath("site", await w.SiteAsync()).WithBody(w.WalletBody()) },
        };
        scenarios["getWallet"] = new(() => Done(w.InSite()));
        scenarios["replaceOffers"] = new(() => Done(w.InSite().WithBody(World.OffersBody())));
        scenarios["createPaymentIntent"] = new(() => Done(World.Public(w.Site).WithHeader("Idempotency-Key", Guid.NewGuid().ToString())
            .WithBody(new { purpose = "donation", amount = 500 })))
        {
            Variants = () => Done<IEnumerable<Call>>([World.Public(w.Site).WithHeader("Idempotency-Key", Guid.NewGuid().ToString())
                .WithBody(new { purpose = "membership", planKey = "monthly", customerReference = "reader-1", metadata = new { campaign = "spring" } })]),
            Errors =
            {
                [422] = async () =>
                {
                    var key = Guid.NewGuid().ToString();
                    await w.SendOkAsync(HttpMethod.Post, $"/api/v1/sites/{w.Site}/payment-intents", new { purpose = "donation", amount = 500 },
                        headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
                    return World.Public(w.Site).WithHeader("Idempotency-Key", key).WithBody(new { purpose = "donation", amount = 600 });
                },
            },
            RacesOnly = { [409] = "PaymentIntentApiTests.Fifty_concurrent_identical_requests_create_one_intent_and_none_fails_with_a_server_error" },
        };
        scenarios["getPaymentIntent"] = new(() => w.PublicIntentAsync())
        {
            Errors =
            {
                [304] = async () =>
                {
                    var call = await w.PublicIntentAsync();
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{w.Site}/payment-intents/{call.Path["id"]}");
                    request.Headers.Add("X-Client-Secret", call.Headers["X-Client-Secret"]);
                    using var read = await w.Hosts.Api.Client().SendAsync(request, Ct);
                    return call.WithHeader("If-None-Match", read.Headers.ETag!.ToString());
                },
            },
        };
        scenarios["getPaymentIntentQrCode"] = new(() => w.PublicIntentAsync());
        scenarios["getAdminPaymentIntent"] = new(async () => World.Admin().WithPath("id", (await w.IntentAsync()).Id));
        scenarios["cancelPaymentIntent"] = new(async () => World.Admin().WithPath("id", (await w.IntentAsync()).Id).WithBody(new { reason = "walk" }))
        {
            Errors = { [409] = async () => World.Admin().WithPath("id", (await w.IntentAsync(canceled: true)).Id).WithBody(new { reason = "walk" }) },
        };
        foreach (var mark in new[] { "markPaymentIntentSettled", "markPaymentIntentFailed" })
        {
            scenarios[mark] = new(async () => World.Admin().WithPath("id", (await w.IntentAsync()).Id).WithBody(new { reason = "paid by bank transfer" }))
            {
                Errors = { [409] = async () => World.Admin().WithPath("id", (await w.IntentAsync(canceled: true)).Id).WithBody(new { reason = "walk" }) },
            };
        }

        return scenarios;
    }

    private static Task<T> Done<T>(T value) => Task.FromResult(value);

    private static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    /// <summary>One request, in parts that the walk can vary to provoke an error. Immutable: each With… copies.</summary>
    /// <param name="Key">The bearer key; null for an anonymous request.</param>
    internal sealed record Call(string? Key)
    {
        public IReadOnlyDictionary<string, string> Path { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

        public string? Body { get; init; }

        public string ContentType { get; init; } = "application/json";

        public Call WithPath(string name, string value) => this with { Path = Set(Path, name, value) };

        public Call WithQuery(string name, string value) => this with { Query = Set(Query, name, value) };

        public Call WithHeader(string name, string value) => this with { Headers = Set(Headers, name, value) };

        public Call WithoutHeader(string name) => this with { Headers = Headers.Where(h => h.Key != name).ToDictionary() };

        public Call WithBody(object value) => this with { Body = Json(value) };

        public Call WithText(string text, string contentType = "text/plain") => this with { Body = text, ContentType = contentType };

        private static Dictionary<string, string> Set(IReadOnlyDictionary<string, string> values, string name, string value) =>
            new(values) { [name] = value };
    }

    /// <param name="Valid">Makes a fresh valid request (with fresh data where the operation changes it).</param>
    internal sealed record Scenario(Func<Task<Call>> Valid)
    {
        /// <summary>More valid requests, checked the same way (other data, other parameters).</summary>
        public Func<Task<IEnumerable<Call>>>? Variants { get; init; }

        /// <summary>Requests for the statuses that need a particular state (409, 422, 301…).</summary>
        public Dictionary<int, Func<Task<Call>>> Errors { get; init; } = [];

        /// <summary>
        /// Statuses that only a race between requests causes (an idempotency key whose first request still runs), so one
        /// request cannot provoke them; each names the test that does.
        /// </summary>
        public Dictionary<int, string> RacesOnly { get; init; } = [];
    }

    /// <summary>The data the walk works on: the demo sites, and a site of its own for what it changes.</summary>
    internal sealed class World
    {
        private World(ContractHosts hosts, string site) => (Hosts, Site) = (hosts, site);

        public ContractHosts Hosts { get; }

        public string Site { get; }

        public Dictionary<string, string> Keys { get; } = [];

        public (string Id, string Slug) Published { get; private set; }

        public string FormerSlug { get; private set; } = "";

        public IReadOnlyList<string> DemoSlugs { get; private set; } = [];

        /// <summary>A visitor with one decision under the site's published consent policy (version 1).</summary>
        public string ConsentSubject { get; private set; } = "";

        /// <summary>A new visitor who decided once under version 1 of the site's policy; their subject id.</summary>
        public async Task<string> NewConsentSubjectAsync()
        {
            var consent = await Hosts.Api.Client().PostAsJsonAsync($"/api/v1/sites/{Site}/consents",
                new { policyVersion = 1, decision = "rejectAll", control = "reject" }, Ct);
            return (await consent.Content.ReadFromJsonAsync<JsonObject>(Ct))!["subjectId"]!.GetValue<string>();
        }

        /// <summary>A page of words no other page has, so that no import of it is a near-duplicate of another.</summary>
        public static string ScrapedPage() =>
            $"Harbour report {Unique("page")}\n\n" + string.Join("\n\n", Enumerable.Range(0, 4).Select(_ =>
                string.Join(' ', Enumerable.Range(0, 20).Select(_ => Guid.NewGuid().ToString("N")[..7])) + "."));

        public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)].ToLowerInvariant();

        public static object SiteBody(string key) => new
        {
            key, name = "Contract Desk", domain = "contract.example", corsOrigins = new[] { "https://contract.example" }, defaultLanguage = "en",
        };

        public static object Draft(string? slug = null) => new
        {
            title = "Night buses return " + Guid.NewGuid().ToString("N")[..6], slug, body = "<p>The N1 runs again.</p>",
            authors = new[] { "jane-doe" }, tags = new[] { "transport" }, section = "news",
        };

        /// <summary>A draft with every optional field set, so the nested objects are checked too.</summary>
        public static object Rich() => new
        {
            title = "Harbour bridge reopens " + Guid.NewGuid().ToString("N")[..6], subtitle = "Six months of repairs",
            excerpt = "The bridge reopens on Monday.", body = "## Back\n\nThe bridge **reopens**.", bodyFormat = "markdown",
            authors = new[] { "jane-doe" }, tags = new[] { "transport", "City Hall" }, section = "news", language = "en-GB",
            featuredImage = new { url = "https://cdn.example/bridge.jpg", alt = "The bridge", caption = "At dawn", credit = "Ada Reyes" },
            source = new { name = "Wire", url = "https://wire.example/bridge" }, canonicalUrl = "https://wire.example/bridge",
            seo = new { metaTitle = "Bridge reopens", metaDescription = "Six months of repairs end", socialImage = "https://cdn.example/card.jpg" },
        };

        public static async Task<World> CreateAsync(ContractHosts hosts)
        {
            var world = new World(hosts, Unique("contract"));
            await world.SendOkAsync(HttpMethod.Post, "/api/v1/admin/sites", SiteBody(world.Site));
            await world.SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{world.Site}/authors", new { name = "Jane Doe", bio = "Transport" });
            await world.SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{world.Site}/sections", new { name = "News" });
            await world.SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{world.Site}/tags", new { name = "Transport" });
            foreach (var role in new[] { "editor", "author", "compliance", "finance" })
            {
                var key = await world.SendOkAsync(HttpMethod.Post, "/api/v1/admin/api-keys",
                    new { name = role, role, site = role == "author" ? world.Site : null, authorSlug = role == "author" ? "jane-doe" : null });
                world.Keys[role] = key["key"]!.GetValue<string>();
            }

            world.Published = await world.PublishedAsync();
            var moved = await world.PublishedAsync();
            world.FormerSlug = moved.Slug;
            await world.SendOkAsync(HttpMethod.Put, $"/api/v1/admin/articles/{moved.Id}", World.Draft(slug: moved.Slug + "-moved"), ifMatch: 2);

            var demo = await hosts.Api.Client().GetFromJsonAsync<JsonObject>("/api/v1/sites/daxdi/articles?limit=100&fields=slug", Ct);
            world.DemoSlugs = [.. demo!["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>())];
            Assert.NotEmpty(world.DemoSlugs);

            await using (var scope = hosts.Api.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
                var policy = new ConsentPolicy(await db.Sites.Where(s => s.Key == world.Site).Select(s => s.Id).SingleAsync(Ct), 1,
                    Consent.ConsentSite.Banner(), "contract", DateTime.UtcNow);
                policy.Publish(null, "contract", DateTime.UtcNow);
                db.ConsentPolicies.Add(policy);
                await db.SaveChangesAsync(Ct);
            }

            world.ConsentSubject = await world.NewConsentSubjectAsync();
            await world.SendOkAsync(HttpMethod.Put, $"/api/v1/admin/sites/{world.Site}/wallet", world.WalletBody());
            await world.SendOkAsync(HttpMethod.Put, $"/api/v1/admin/sites/{world.Site}/offers", OffersBody());
            return world;
        }

        public static object OffersBody() => new
        {
            currency = "EUR", membershipPlans = new[] { new { key = "monthly", name = "Monthly", price = 499, durationDays = 30 } },
            articleUnlockPrice = 199, donation = new { min = 100, max = 100_000 },
        };

        /// <summary>The world site's wallet: a testnet account of its own.</summary>
        public string WalletKey { get; } = Payments.Api.PaymentSite.AccountKey(Random.Shared.Next(1, int.MaxValue / 2));

        public object WalletBody() => new { network = "testnet", extendedPublicKey = WalletKey };

        /// <summary>A new donation intent on the world site: its id and client secret.</summary>
        public async Task<(string Id, string Secret)> IntentAsync(bool canceled = false)
        {
            var intent = await SendOkAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/payment-intents", new { purpose = "donation", amount = 500 },
                headers: new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() });
            var id = intent["id"]!.GetValue<string>();
            if (canceled)
            {
                await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/payment-intents/{id}/cancel", new { reason = "walk" });
            }

            return (id, intent["clientSecret"]!.GetValue<string>());
        }

        public async Task<Call> PublicIntentAsync()
        {
            var (id, secret) = await IntentAsync();
            return Public(Site).WithPath("id", id).WithHeader("X-Client-Secret", secret);
        }

        public static Call Admin() => new(ApiFactory.AdminKey);

        public Call InSite() => Admin().WithPath("site", Site);

        public static Call Public(string site) => new Call(null).WithPath("site", site);

        public static Call Article(string id, int? version = null) =>
            version is { } v ? Admin().WithPath("id", id).WithHeader("If-Match", $"\"{v}\"") : Admin().WithPath("id", id);

        public async Task<string> ApiKeyAsync(bool revoked = false)
        {
            var id = (await SendOkAsync(HttpMethod.Post, "/api/v1/admin/api-keys", new { name = "walk", role = "editor" }))["id"]!.GetValue<string>();
            if (revoked)
            {
                await SendOkAsync(HttpMethod.Delete, $"/api/v1/admin/api-keys/{id}");
            }

            return id;
        }

        public async Task<string> SiteAsync() =>
            (await SendOkAsync(HttpMethod.Post, "/api/v1/admin/sites", SiteBody(Unique("site"))))["key"]!.GetValue<string>();

        public async Task<(string Id, string Slug)> DraftAsync(object? body = null)
        {
            var article = await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/articles", body ?? Draft());
            return (article["id"]!.GetValue<string>(), article["slug"]!.GetValue<string>());
        }

        public Task<(string Id, string Slug)> RichAsync() => DraftAsync(Rich());

        /// <summary>A page already imported into the site: importing it again is a near-duplicate.</summary>
        public async Task<string> ImportedPageAsync()
        {
            var page = ScrapedPage();
            using var response = await Hosts.Api.Admin().PostAsync($"/api/v1/admin/sites/{Site}/articles/import",
                new StringContent(page, Encoding.UTF8, "text/plain"), Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return page;
        }

        public async Task<(string Id, string Slug)> PublishedAsync()
        {
            var draft = await DraftAsync();
            await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/articles/{draft.Id}/publish", null, ifMatch: 1);
            return draft;
        }

        /// <summary>A new term of the kind; with <paramref name="used"/>, a draft names it.</summary>
        public async Task<string> TermAsync(string path, bool used = false)
        {
            var slug = (await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/{path}", new { name = Unique("Term") }))["slug"]!.GetValue<string>();
            if (used)
            {
                var article = path switch
                {
                    "authors" => new { title = "Uses a term", body = "<p>x</p>", authors = new[] { slug }, tags = Array.Empty<string>(), section = (string?)null },
                    "tags" => new { title = "Uses a term", body = "<p>x</p>", authors = Array.Empty<string>(), tags = new[] { slug }, section = (string?)null },
                    _ => new { title = "Uses a term", body = "<p>x</p>", authors = Array.Empty<string>(), tags = Array.Empty<string>(), section = (string?)slug },
                };
                await DraftAsync(article);
            }

            return slug;
        }

        /// <summary>A banner that can be published as it is: a required and an optional category, an implied Continue.</summary>
        public static object ConsentPolicyBody() => new
        {
            texts = new Dictionary<string, object>
            {
                ["en"] = new { title = "Cookies", message = "Some are needed; the rest only with your permission.", policyUrl = "https://contract.example/cookies", labels = new { save = "Save" } },
            },
            controls = new[]
            {
                new { key = "preferences", label = "Preferences", meaning = "openPreferences" },
                new { key = "save", label = "Save", meaning = "savePreferences" },
                new { key = "continue", label = "Continue", meaning = "implied" },
            },
            categories = new object[]
            {
                new
                {
                    key = "technical", name = "Technical", description = "Security and sign-in.", required = true, justification = "Needed to serve the pages.",
                    services = new[] { new { name = "session", provider = "contract.example", party = "first", lifetime = "session", purpose = (string?)null } },
                },
                new
                {
                    key = "profiling", name = "Profiling", description = "Ads by interest.", required = false, @default = false,
                    services = new[] { new { name = "ads", provider = "Adco", party = "third", lifetime = "13 months", purpose = (string?)"Ad choice" } },
                },
            },
            consentMode = new Dictionary<string, string[]> { ["profiling"] = ["ad_storage", "ad_user_data", "ad_personalization"] },
            gpcRefuses = new[] { "profiling" },
            consentLifetimeDays = 180,
            refusalLifetimeDays = 182,
        };

        /// <summary>A new version of the world's site's policy (published: also published, so its ETag is 2): the call names both.</summary>
        public async Task<Call> ConsentPolicyAsync(bool published = false)
        {
            var number = (await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/consent-policies", ConsentPolicyBody()))["number"]!.GetValue<int>();
            if (published)
            {
                await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/consent-policies/{number}/publish", null, ifMatch: 1);
            }

            return InSite().WithPath("version", number.ToString(CultureInfo.InvariantCulture));
        }

        public static object WebhookBody(bool enabled = true) =>
            new { url = "https://127.0.0.1:9/contract", events = new[] { "article.published" }, description = "Contract walk", enabled };

        /// <summary>A webhook subscription in a site of its own (a site holds at most 20): the call names both.</summary>
        public async Task<Call> WebhookAsync(bool enabled = true)
        {
            var site = await SiteAsync();
            var id = (await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{site}/webhooks", WebhookBody(enabled)))["id"]!.GetValue<string>();
            return Admin().WithPath("site", site).WithPath("id", id);
        }

        /// <summary>A site with as many webhook subscriptions as it may have.</summary>
        public async Task<string> FullOfWebhooksAsync()
        {
            var site = await SiteAsync();
            for (var i = 0; i < WebhookRules.MaxSubscriptionsPerSite; i++)
            {
                await SendOkAsync(HttpMethod.Post, $"/api/v1/admin/sites/{site}/webhooks", WebhookBody());
            }

            return site;
        }

        /// <summary>A ping's delivery, pending; with <paramref name="failed"/>, failed after one attempt (arranged in the store: nothing sends here).</summary>
        public async Task<Call> DeliveryAsync(bool failed = false)
        {
            var webhook = await WebhookAsync();
            var id = Guid.Parse((await SendOkAsync(HttpMethod.Post,
                $"/api/v1/admin/sites/{webhook.Path["site"]}/webhooks/{webhook.Path["id"]}/ping"))["id"]!.GetValue<string>());
            if (failed)
            {
                await using var scope = Hosts.Api.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
                var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == id, Ct);
                var now = DateTime.UtcNow;
                db.WebhookAttempts.Add(new WebhookAttempt(delivery, 1, now, 30, null, null, "Connection refused."));
                delivery.AttemptFailed(null, retryAt: null, now);
                await db.SaveChangesAsync(Ct);
            }

            return webhook.WithPath("deliveryId", id.ToString());
        }

        public async Task<string> ETagAsync(string path)
        {
            using var response = await Hosts.Api.Admin().GetAsync(path, Ct);
            response.EnsureSuccessStatusCode();
            return response.Headers.ETag!.ToString();
        }

        public async Task<JsonObject> SendOkAsync(HttpMethod method, string path, object? body = null, int? ifMatch = null,
            IReadOnlyDictionary<string, string>? headers = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (ifMatch is { } version)
            {
                request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
            }

            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.Add(name, value);
            }

            using var response = await Hosts.Api.Admin().SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }
    }

    /// <summary>Sends the requests of each operation and collects what does not match the document.</summary>
    private sealed class Walk(OpenApiContract contract, ContractHosts hosts, World world)
    {
        private const string TooLarge = "request body over every limit";
        private readonly Dictionary<string, SortedSet<int>> _provoked = [];
        private int _requests;
        private int _headerChecks;
        /// <summary>The rate limits whose one request of the window was used: the admin limit, and each public one.</summary>
        private readonly HashSet<string> _throttled = [];

        public List<string> Violations { get; } = [];

        /// <summary>A scenario built from the document alone: parameters from the world, the body from its example.</summary>
        public Scenario Generic(ContractOperation operation) => new(() =>
        {
            var call = new Call(operation.RequiresAuth ? ApiFactory.AdminKey : null);
            foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
            {
                call = call.WithPath(parameter.Name, parameter.Name == "site" ? world.Site : parameter.Name == "id" ? world.Published.Id : "1");
            }

            if (operation.Parameters.Any(p => p.Name == "If-Match"))
            {
                call = call.WithHeader("If-Match", "\"1\"");
            }

            return Task.FromResult(operation.RequestBody?.Content.GetValueOrDefault("application/json")?.Example is { } example
                ? call with { Body = example.ToJsonString() }
                : call);
        });

        public async Task RunAsync(ContractOperation operation, Scenario scenario)
        {
            var provoked = _provoked[operation.OperationId] = [];
            var valid = await scenario.Valid();
            var (status, etag) = await CheckAsync(operation, valid, "valid request");
            if (status is < 200 or > 299)
            {
                Violations.Add($"{operation}: the valid request answered {status}; give the operation a scenario that succeeds");
            }

            foreach (var variant in scenario.Variants is null ? [] : await scenario.Variants())
            {
                await CheckAsync(operation, variant, "variant");
            }

            foreach (var declared in operation.DeclaredStatuses.Select(s => (int)s).Where(s => s is < 200 or > 299))
            {
                if (provoked.Contains(declared) || scenario.RacesOnly.ContainsKey(declared))
                {
                    continue;
                }

                var call = scenario.Errors.TryGetValue(declared, out var make) ? await make() : await ProvokeAsync(operation, declared, scenario, etag);
                if (call is null)
                {
                    continue;
                }

                var client = declared == 429 ? hosts.Throttled : hosts.Api;
                if (declared == 429 && _throttled.Add(operation.RequiresAuth ? "admin" : operation.OperationId))
                {
                    (await SendAsync(client, operation, call)).Dispose(); // uses the one request of the window
                }

                var (answered, _) = await CheckAsync(operation, call, $"request for {declared}", client);
                if (answered != declared)
                {
                    Violations.Add($"{operation}: the request meant to provoke {declared} answered {answered}");
                }
            }

            if (operation.RequestBody is { Required: true })
            {
                var (answered, _) = await CheckAsync(operation, (await scenario.Valid()) with { Body = null }, "request without its body");
                if (answered != 400)
                {
                    Violations.Add($"{operation}: a request without its required body answered {answered}, not 400");
                }
            }

            var missed = operation.DeclaredStatuses.Select(s => (int)s)
                .Where(s => !provoked.Contains(s) && !Unprovokable.Contains(s) && !scenario.RacesOnly.ContainsKey(s)).ToList();
            if (missed.Count > 0)
            {
                Violations.Add($"{operation}: declares {string.Join(", ", missed)}, which no request provoked; declare only what it answers");
            }
        }

        public string Summary()
        {
            var pairs = _provoked.Sum(p => p.Value.Count);
            return $"{_provoked.Count} operations, {_requests} requests, {pairs} (operation, status) pairs answered, "
                + $"{_headerChecks} declared headers checked, {Violations.Count} violations.";
        }

        /// <summary>A variation of a fresh valid request that must answer <paramref name="status"/>; null when none is known.</summary>
        private async Task<Call?> ProvokeAsync(ContractOperation operation, int status, Scenario scenario, string? etag)
        {
            var valid = await scenario.Valid();
            return status switch
            {
                304 when etag is not null => valid.WithHeader("If-None-Match", etag),
                400 => BadRequest(operation, valid),
                401 when operation.RequiresAuth => valid with { Key = null },
                403 when operation.RequiresAuth && await ForbiddenKeyAsync(operation, valid) is { } refused => Missing(operation, valid) with { Key = refused },
                404 when operation.Parameters.Any(p => p.In == "path") => Missing(operation, valid),
                412 when operation.Parameters.Any(p => p.Name == "If-Match") => valid.WithHeader("If-Match", "\"999999\""),
                428 => valid.WithoutHeader("If-Match"),
                413 when operation.RequestBody is not null => valid with { Body = TooLarge },
                415 when operation.RequestBody is not null => valid with { Body = valid.Body ?? "{}", ContentType = "text/plain" },
                429 => Missing(operation, valid),
                _ => null,
            };
        }

        /// <summary>An invalid body, or a query value outside what the parameter's schema allows.</summary>
        private Call? BadRequest(ContractOperation operation, Call valid)
        {
            if (operation.RequestBody is not null)
            {
                return valid with { Body = "{\"unterminated\": " };
            }

            foreach (var parameter in operation.Parameters.Where(p => p.In == "query" && p.Schema is not null))
            {
                var schema = contract.Resolve(parameter.Schema!);
                var value = schema["minimum"] is { } minimum ? (minimum.GetValue<int>() - 1).ToString(CultureInfo.InvariantCulture)
                    : schema["enum"] is not null || schema["type"]?.ToString() is "integer" or "boolean" ? "not-a-value"
                    : schema["format"]?.ToString() == "date-time" ? "yesterday"
                    : null;
                if (value is not null)
                {
                    return valid.WithQuery(parameter.Name, value);
                }
            }

            return null;
        }

        /// <summary>The same request for resources that do not exist (ids still GUIDs, so the route matches).</summary>
        private static Call Missing(ContractOperation operation, Call valid) => valid with
        {
            Path = operation.Parameters.Where(p => p.In == "path").ToDictionary(p => p.Name, p => p.Name switch
            {
                _ when p.Schema?["format"]?.GetValue<string>() == "uuid" => Guid.NewGuid().ToString(),
                "number" or "version" => "99999",
                _ => "no-such-" + p.Name,
            }),
        };

        /// <summary>The key of a role the operation refuses (each role is tried until one is refused).</summary>
        private async Task<string?> ForbiddenKeyAsync(ContractOperation operation, Call valid)
        {
            foreach (var key in world.Keys.Values)
            {
                using var response = await SendAsync(hosts.Api, operation, Missing(operation, valid) with { Key = key });
                if (response.StatusCode == HttpStatusCode.Forbidden)
                {
                    return key;
                }
            }

            return null;
        }

        private async Task<(int Status, string? ETag)> CheckAsync(ContractOperation operation, Call call, string what, ApiFactory? host = null)
        {
            using var response = await SendAsync(host ?? hosts.Api, operation, call);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            _provoked[operation.OperationId].Add(status);
            _headerChecks += operation.ResponseFor(status)?.Headers.Count ?? 0;
            Violations.AddRange(contract.Validate(operation.OperationId, response, body).Select(v => $"{v} [{what}]"));
            return (status, response.Headers.ETag?.ToString());
        }

        private async Task<HttpResponseMessage> SendAsync(ApiFactory host, ContractOperation operation, Call call)
        {
            _requests++;
            var path = call.Path.Aggregate(operation.Path, (p, v) => p.Replace($"{{{v.Key}}}", Uri.EscapeDataString(v.Value), StringComparison.Ordinal));
            var query = string.Join('&', call.Query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), query.Length > 0 ? $"{path}?{query}" : path);
            if (call.Body == TooLarge)
            {
                request.Content = new ByteArrayContent(new byte[8 * 1024 * 1024]);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            else if (call.Body is not null)
            {
                request.Content = new StringContent(call.Body, Encoding.UTF8, call.ContentType);
            }

            foreach (var (name, value) in call.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var client = host.Client(call.Key);
            return await client.SendAsync(request, Ct);
        }
    }
}

/// <summary>
/// The hosts of the contract walk: one on the demo content with the admin rate limit out of the way, and one whose
/// admin limit allows a single request per hour, so every later admin request answers 429.
/// </summary>
public sealed class ContractHosts : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public ApiFactory Throttled { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Api = new ApiFactory(TestStore.Sqlite(), ("Seed:DemoContent", "true"), ("RateLimits:Admin:PermitLimit", "1000000"),
            ("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8"), ("Webhooks:DispatcherEnabled", "false"));
        Throttled = new ApiFactory(TestStore.Sqlite(), ("RateLimits:Admin:PermitLimit", "1"), ("RateLimits:Admin:WindowSeconds", "3600"),
            ("RateLimits:Consent:PermitLimit", "1"), ("RateLimits:Consent:WindowSeconds", "3600"),
            ("RateLimits:PaymentIntents:PermitLimit", "1"), ("RateLimits:PaymentIntents:WindowSeconds", "3600"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Throttled.DisposeAsync();
    }
}
