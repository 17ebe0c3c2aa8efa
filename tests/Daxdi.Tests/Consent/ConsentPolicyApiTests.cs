using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Consent;

/// <summary>
/// Consent policy versions over HTTP: drafts numbered per site, the shape validator's refusals field by field, If-Match
/// on every change, the legal rules at publish with their codes, immutability once published, when a new version asks
/// earlier decisions again, the public current policy and its caching, who may manage policies, and the demo banner.
/// </summary>
public abstract class ConsentPolicyApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A banner of the seed's kind that can be published as it is: technical (required) and profiling (optional).</summary>
    internal static JsonObject Policy() => new()
    {
        ["texts"] = new JsonObject
        {
            ["en"] = new JsonObject
            {
                ["title"] = "Cookies at the Harbor Times",
                ["message"] = "We need a few cookies to run the site. With your permission we and our partners also use cookies that learn what you read.",
                ["policyUrl"] = "https://harbor.example/cookies",
                ["labels"] = new JsonObject { ["continue"] = "Carry on" },
            },
        },
        ["controls"] = new JsonArray
        {
            new JsonObject { ["key"] = "preferences", ["label"] = "Preferences", ["meaning"] = "openPreferences" },
            new JsonObject { ["key"] = "save", ["label"] = "Save", ["meaning"] = "savePreferences" },
            new JsonObject { ["key"] = "continue", ["label"] = "Continue", ["meaning"] = "implied" },
        },
        ["categories"] = new JsonArray
        {
            new JsonObject
            {
                ["key"] = "technical", ["name"] = "Technical", ["description"] = "Sign-in and security.", ["required"] = true,
                ["justification"] = "The pages you ask for cannot be served without them.",
                ["services"] = new JsonArray
                {
                    new JsonObject { ["name"] = "ht_session", ["provider"] = "harbor.example", ["party"] = "first", ["lifetime"] = "session" },
                },
            },
            new JsonObject
            {
                ["key"] = "profiling", ["name"] = "Profiling", ["description"] = "Ads that follow your interests.", ["required"] = false,
                ["default"] = false,
                ["services"] = new JsonArray
                {
                    new JsonObject { ["name"] = "ht_topics", ["provider"] = "harbor.example", ["party"] = "first", ["lifetime"] = "6 months" },
                    new JsonObject
                    {
                        ["name"] = "Ad exchange", ["provider"] = "Adco", ["party"] = "third", ["lifetime"] = "13 months", ["purpose"] = "Ad choice",
                    },
                },
            },
        },
        ["consentMode"] = new JsonObject
        {
            ["profiling"] = new JsonArray("ad_storage", "ad_user_data", "ad_personalization"),
            ["technical"] = new JsonArray("security_storage", "functionality_storage"),
        },
        ["gpcRefuses"] = new JsonArray("profiling"),
        ["consentLifetimeDays"] = 180,
        ["refusalLifetimeDays"] = 182,
    };

    private static JsonObject With(Action<JsonObject> change)
    {
        var policy = Policy();
        change(policy);
        return policy;
    }

    private static JsonObject Category(JsonObject policy, int index) => policy["categories"]![index]!.AsObject();

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_a_draft_numbered_1_then_2()
    {
        var room = await Newsroom.CreateAsync(api);

        var first = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", Policy(), Ct);
        var second = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", Policy(), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"{room.Admin}/consent-policies/1", first.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", first.Headers.ETag?.ToString());
        var draft = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, draft.GetProperty("number").GetInt32());
        Assert.Equal("draft", draft.Str("status"));
        Assert.Equal(1, draft.Version());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("publishedAt").ValueKind);
        Assert.False(draft.GetProperty("renewsConsent").GetBoolean());
        Assert.Matches("^[0-9a-f]{64}$", draft.Str("contentHash"));
        Assert.Equal("https://harbor.example/cookies", draft.GetProperty("texts").GetProperty("en").Str("policyUrl"));
        Assert.Equal("Carry on", draft.GetProperty("texts").GetProperty("en").GetProperty("labels").Str("continue"));
        Assert.Equal("implied", draft.GetProperty("controls")[2].Str("meaning"));
        Assert.Equal("third", draft.GetProperty("categories")[1].GetProperty("services")[1].Str("party"));
        Assert.Equal(["ad_storage", "ad_user_data", "ad_personalization"],
            draft.GetProperty("consentMode").GetProperty("profiling").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal($"{room.Admin}/consent-policies/2", second.Headers.Location?.OriginalString);
        var next = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, next.GetProperty("number").GetInt32());
        Assert.Equal(draft.Str("contentHash"), next.Str("contentHash"));

        var read = await api.Admin().GetAsync(first.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.Equal(draft.Str("contentHash"), (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("contentHash"));
    }

    [Fact]
    public async Task Parallel_creates_in_one_site_take_distinct_consecutive_numbers()
    {
        var room = await Newsroom.CreateAsync(api);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", Policy(), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetInt32()));
        Assert.Equal([1, 2, 3, 4, 5, 6], numbers.Order());
    }

    [Theory]
    [InlineData("category key with a space", "categories[1].key")]
    [InlineData("category key too long", "categories[1].key")]
    [InlineData("duplicate category key", "categories")]
    [InlineData("duplicate control key", "controls")]
    [InlineData("no languages", "texts")]
    [InlineData("bad language tag", "texts")]
    [InlineData("policy url not http", "texts.en.policyUrl")]
    [InlineData("label of an unknown control", "texts.en.labels")]
    [InlineData("no controls", "controls")]
    [InlineData("no categories", "categories")]
    [InlineData("unknown control meaning", null)]
    [InlineData("consent mode of an unknown category", "consentMode")]
    [InlineData("consent mode signal outside v2", "consentMode.profiling")]
    [InlineData("gpc refusing a required category", "gpcRefuses[0]")]
    [InlineData("gpc refusing an unknown category", "gpcRefuses[0]")]
    [InlineData("zero consent lifetime", "consentLifetimeDays")]
    [InlineData("negative refusal lifetime", "refusalLifetimeDays")]
    [InlineData("service without provider", "categories[0].services[0].provider")]
    public async Task Create_refuses_a_malformed_policy_with_400_naming_the_field(string broken, string? field)
    {
        var room = await Newsroom.CreateAsync(api);
        var body = With(p =>
        {
            switch (broken)
            {
                case "category key with a space": Category(p, 1)["key"] = "profile cookies"; break;
                case "category key too long": Category(p, 1)["key"] = new string('p', 41); break;
                case "duplicate category key": Category(p, 1)["key"] = "Technical"; break;
                case "duplicate control key": p["controls"]![1]!["key"] = "preferences"; break;
                case "no languages": p["texts"] = new JsonObject(); break;
                case "bad language tag": p["texts"]!.AsObject()["english!"] = p["texts"]!["en"]!.DeepClone(); break;
                case "policy url not http": p["texts"]!["en"]!["policyUrl"] = "ftp://harbor.example/cookies"; break;
                case "label of an unknown control": p["texts"]!["en"]!["labels"] = new JsonObject { ["acceptAll"] = "Yes" }; break;
                case "no controls": p["controls"] = new JsonArray(); break;
                case "no categories": p["categories"] = new JsonArray(); p["consentMode"] = new JsonObject(); p["gpcRefuses"] = new JsonArray(); break;
                case "unknown control meaning": p["controls"]![0]!["meaning"] = "maybe"; break;
                case "consent mode of an unknown category": p["consentMode"]!.AsObject()["analytics"] = new JsonArray("analytics_storage"); break;
                case "consent mode signal outside v2": p["consentMode"]!["profiling"] = new JsonArray("ad_storage", "ad_everything"); break;
                case "gpc refusing a required category": p["gpcRefuses"] = new JsonArray("technical"); break;
                case "gpc refusing an unknown category": p["gpcRefuses"] = new JsonArray("marketing"); break;
                case "zero consent lifetime": p["consentLifetimeDays"] = 0; break;
                case "negative refusal lifetime": p["refusalLifetimeDays"] = -1; break;
                case "service without provider": Category(p, 0)["services"]![0]!["provider"] = ""; break;
                default: throw new ArgumentOutOfRangeException(nameof(broken));
            }
        });

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", body, Ct);

        if (field is null)
        {
            // An enum value outside the contract is refused by the JSON reader, before validation.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("request.", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("code"), StringComparison.Ordinal);
        }
        else
        {
            var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
        }

        var list = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/consent-policies", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_refuses_unknown_and_missing_properties()
    {
        var room = await Newsroom.CreateAsync(api);

        var unknown = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", With(p => p["status"] = "published"), Ct);
        var missing = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", With(p => p.Remove("consentLifetimeDays")), Ct);

        await Problem.AssertAsync(unknown, HttpStatusCode.BadRequest, "request.unknown_property");
        await Problem.AssertAsync(missing, HttpStatusCode.BadRequest, "request.missing_property");
    }

    [Fact]
    public async Task A_draft_may_break_the_legal_rules_until_it_is_published()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", With(p =>
        {
            Category(p, 1)["default"] = true;
            Category(p, 0).Remove("justification");
            p["consentLifetimeDays"] = 800;
            p["refusalLifetimeDays"] = 7;
        }), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("draft", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("status"));
    }

    [Fact]
    public async Task Replace_needs_if_match_answers_412_when_stale_and_changes_the_draft_and_its_hash()
    {
        var room = await Newsroom.CreateAsync(api);
        var created = await CreateAsync(room, Policy());
        var url = $"{room.Admin}/consent-policies/1";
        var changed = With(p => p["texts"]!["en"]!["title"] = "Cookies, briefly");

        var withoutIfMatch = await SendAsync(HttpMethod.Put, url, changed, ifMatch: null);
        var replaced = await SendAsync(HttpMethod.Put, url, changed, ifMatch: "\"1\"");
        var stale = await SendAsync(HttpMethod.Put, url, Policy(), ifMatch: "\"1\"");

        await Problem.AssertAsync(withoutIfMatch, HttpStatusCode.PreconditionRequired, "request.if_match_required");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.ToString());
        var draft = await replaced.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Cookies, briefly", draft.GetProperty("texts").GetProperty("en").Str("title"));
        Assert.Equal(1, draft.GetProperty("number").GetInt32());
        Assert.Equal("draft", draft.Str("status"));
        Assert.NotEqual(created.Str("contentHash"), draft.Str("contentHash"));
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        Assert.Equal("Cookies, briefly", (await GetAsync(url)).GetProperty("texts").GetProperty("en").Str("title"));
    }

    [Fact]
    public async Task Replace_validates_the_body_as_create_does()
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAsync(room, Policy());

        var response = await SendAsync(HttpMethod.Put, $"{room.Admin}/consent-policies/1",
            With(p => p["gpcRefuses"] = new JsonArray("technical")), ifMatch: "\"1\"");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("gpcRefuses[0]", out _));
    }

    [Fact]
    public async Task Publish_needs_if_match_fixes_the_version_and_asks_consent_the_first_time()
    {
        var room = await Newsroom.CreateAsync(api);
        var created = await CreateAsync(room, Policy());
        var url = $"{room.Admin}/consent-policies/1/publish";

        var withoutIfMatch = await SendAsync(HttpMethod.Post, url, null, ifMatch: null);
        var stale = await SendAsync(HttpMethod.Post, url, null, ifMatch: "\"7\"");
        var published = await SendAsync(HttpMethod.Post, url, null, ifMatch: "\"1\"");

        await Problem.AssertAsync(withoutIfMatch, HttpStatusCode.PreconditionRequired, "request.if_match_required");
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("\"2\"", published.Headers.ETag?.ToString());
        var policy = await published.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("published", policy.Str("status"));
        Assert.True(policy.GetProperty("renewsConsent").GetBoolean());
        Assert.True(policy.GetProperty("publishedAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(created.Str("contentHash"), policy.Str("contentHash"));
        var read = await GetAsync($"{room.Admin}/consent-policies/1");
        Assert.Equal("published", read.Str("status"));
        Assert.Equal(2, read.Version());
    }

    [Theory]
    [InlineData("optional category ticked by default", "consent_policy.optional_preticked")]
    [InlineData("consent kept 14 months", "consent_policy.consent_lifetime_too_long")]
    [InlineData("refusal kept one month", "consent_policy.refusal_lifetime_too_short")]
    [InlineData("required category without justification", "consent_policy.required_unjustified")]
    [InlineData("no required category", "consent_policy.no_required_category")]
    [InlineData("accept all without a way to refuse", "consent_policy.no_way_to_refuse")]
    public async Task Publish_refuses_a_policy_that_breaks_a_legal_rule_with_422_and_its_code(string broken, string code)
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAsync(room, With(p =>
        {
            switch (broken)
            {
                case "optional category ticked by default": Category(p, 1)["default"] = true; break;
                case "consent kept 14 months": p["consentLifetimeDays"] = 426; break;
                case "refusal kept one month": p["refusalLifetimeDays"] = 30; break;
                case "required category without justification": Category(p, 0)["justification"] = " "; break;
                case "no required category": Category(p, 0)["required"] = false; break;
                case "accept all without a way to refuse":
                    p["controls"] = new JsonArray
                    {
                        new JsonObject { ["key"] = "acceptAll", ["label"] = "Accept all", ["meaning"] = "acceptAll" },
                        new JsonObject { ["key"] = "continue", ["label"] = "Continue", ["meaning"] = "implied" },
                    };
                    p["texts"]!["en"]!["labels"] = new JsonObject();
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(broken));
            }
        }));

        var response = await SendAsync(HttpMethod.Post, $"{room.Admin}/consent-policies/1/publish", null, ifMatch: "\"1\"");

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, code);
        var draft = await GetAsync($"{room.Admin}/consent-policies/1");
        Assert.Equal("draft", draft.Str("status"));
        Assert.Equal(1, draft.Version());
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/consent-policy", Ct), HttpStatusCode.NotFound, "consent_policy.none");
    }

    [Fact]
    public async Task A_published_version_never_changes_replace_and_publish_answer_422()
    {
        var room = await Newsroom.CreateAsync(api);
        var published = await CreateAndPublishAsync(room, Policy());

        var replace = await SendAsync(HttpMethod.Put, $"{room.Admin}/consent-policies/1",
            With(p => p["texts"]!["en"]!["title"] = "Changed after the fact"), ifMatch: "\"2\"");
        var again = await SendAsync(HttpMethod.Post, $"{room.Admin}/consent-policies/1/publish", null, ifMatch: "\"2\"");

        await Problem.AssertAsync(replace, HttpStatusCode.UnprocessableEntity, "consent_policy.published");
        await Problem.AssertAsync(again, HttpStatusCode.UnprocessableEntity, "consent_policy.published");
        var read = await GetAsync($"{room.Admin}/consent-policies/1");
        Assert.Equal(published.Str("contentHash"), read.Str("contentHash"));
        Assert.Equal("Cookies at the Harbor Times", read.GetProperty("texts").GetProperty("en").Str("title"));
        Assert.Equal(2, read.Version());
    }

    [Fact]
    public async Task A_new_version_renews_consent_when_categories_services_or_wording_change_not_for_lifetimes_or_mapping()
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAndPublishAsync(room, Policy());

        var lifetimeOnly = await CreateAndPublishAsync(room, With(p => p["consentLifetimeDays"] = 365));
        var mappingOnly = await CreateAndPublishAsync(room, With(p =>
        {
            p["consentLifetimeDays"] = 365;
            p["consentMode"]!["profiling"] = new JsonArray("ad_storage", "ad_user_data", "ad_personalization", "personalization_storage");
        }));
        var newService = await CreateAndPublishAsync(room, With(p =>
        {
            p["consentLifetimeDays"] = 365;
            p["consentMode"]!["profiling"] = new JsonArray("ad_storage", "ad_user_data", "ad_personalization", "personalization_storage");
            Category(p, 1)["services"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "Video player", ["provider"] = "Streamly", ["party"] = "third", ["lifetime"] = "30 days",
            });
        }));
        var newWording = await CreateAndPublishAsync(room, With(p =>
        {
            p["consentLifetimeDays"] = 365;
            p["consentMode"]!["profiling"] = new JsonArray("ad_storage", "ad_user_data", "ad_personalization", "personalization_storage");
            Category(p, 1)["services"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "Video player", ["provider"] = "Streamly", ["party"] = "third", ["lifetime"] = "30 days",
            });
            p["texts"]!["en"]!["message"] = "We use cookies. Some are needed; the others only with your permission.";
        }));

        Assert.Equal(2, lifetimeOnly.GetProperty("number").GetInt32());
        Assert.False(lifetimeOnly.GetProperty("renewsConsent").GetBoolean());
        Assert.False(mappingOnly.GetProperty("renewsConsent").GetBoolean());
        Assert.True(newService.GetProperty("renewsConsent").GetBoolean());
        Assert.True(newWording.GetProperty("renewsConsent").GetBoolean());
        var list = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/consent-policies", Ct);
        Assert.Equal([true, true, false, false, true],
            list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("renewsConsent").GetBoolean()));
    }

    [Fact]
    public async Task A_draft_older_than_the_current_version_cannot_be_published()
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAsync(room, Policy());
        await CreateAndPublishAsync(room, Policy());

        var response = await SendAsync(HttpMethod.Post, $"{room.Admin}/consent-policies/1/publish", null, ifMatch: "\"1\"");

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "consent_policy.superseded");
        Assert.Equal(2, (await PublicAsync(room)).GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task List_shows_versions_newest_first_with_status_hash_and_keyset_pages()
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAndPublishAsync(room, Policy());
        await CreateAsync(room, With(p => p["consentLifetimeDays"] = 90));
        await CreateAsync(room, With(p => p["consentLifetimeDays"] = 60));

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/consent-policies?limit=2", Ct);
        var cursor = first.Str("nextCursor");
        var second = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/consent-policies?limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct);
        var badCursor = await api.Admin().GetAsync($"{room.Admin}/consent-policies?cursor=not-a-cursor", Ct);

        Assert.Equal([3, 2], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetInt32()));
        Assert.Equal(["draft", "draft"], first.GetProperty("items").EnumerateArray().Select(i => i.Str("status")));
        var last = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal(1, last.GetProperty("number").GetInt32());
        Assert.Equal("published", last.Str("status"));
        Assert.Matches("^[0-9a-f]{64}$", last.Str("contentHash"));
        Assert.Equal(JsonValueKind.String, last.GetProperty("publishedAt").ValueKind);
        Assert.True(last.GetProperty("renewsConsent").GetBoolean());
        Assert.False(last.TryGetProperty("texts", out _));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        await Problem.AssertAsync(badCursor, HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [Fact]
    public async Task Unknown_versions_and_sites_answer_404_with_their_codes()
    {
        var room = await Newsroom.CreateAsync(api);
        await CreateAsync(room, Policy());

        await Problem.AssertAsync(await api.Admin().GetAsync($"{room.Admin}/consent-policies/2", Ct), HttpStatusCode.NotFound, "consent_policy.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Put, $"{room.Admin}/consent-policies/9", Policy(), ifMatch: "\"1\""),
            HttpStatusCode.NotFound, "consent_policy.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{room.Admin}/consent-policies/9/publish", null, ifMatch: "\"1\""),
            HttpStatusCode.NotFound, "consent_policy.not_found");
        await Problem.AssertAsync(await api.Admin().PostAsJsonAsync("/api/v1/admin/sites/no-such-site/consent-policies", Policy(), Ct),
            HttpStatusCode.NotFound, "site.not_found");
        await Problem.AssertAsync(await api.Client().GetAsync("/api/v1/sites/no-such-site/consent-policy", Ct), HttpStatusCode.NotFound, "site.not_found");
    }

    [Fact]
    public async Task The_public_policy_is_404_until_one_is_published_then_the_latest_published_version_cached_with_an_etag()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Public}/consent-policy";

        await Problem.AssertAsync(await api.Client().GetAsync(url, Ct), HttpStatusCode.NotFound, "consent_policy.none");
        await CreateAsync(room, Policy());
        await Problem.AssertAsync(await api.Client().GetAsync(url, Ct), HttpStatusCode.NotFound, "consent_policy.none");

        var published = await PublishAsync(room, 1, version: 1);
        var first = await api.Client().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.StartsWith("public", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, body.GetProperty("number").GetInt32());
        Assert.Equal(published.Str("contentHash"), body.Str("contentHash"));
        Assert.Equal("implied", body.GetProperty("controls")[2].Str("meaning"));
        Assert.False(body.TryGetProperty("status", out _));
        Assert.False(body.TryGetProperty("version", out _));
        Assert.False(body.TryGetProperty("createdBy", out _));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client().SendAsync(conditional, Ct)).StatusCode);

        await CreateAsync(room, With(p => p["texts"]!["en"]!["title"] = "Cookies, version two"));
        Assert.Equal(1, (await PublicAsync(room)).GetProperty("number").GetInt32());
        await PublishAsync(room, 2, version: 1);
        var second = await api.Client().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(etag, second.Headers.ETag);
        var current = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, current.GetProperty("number").GetInt32());
        Assert.Equal("Cookies, version two", current.GetProperty("texts").GetProperty("en").Str("title"));
    }

    [Fact]
    public async Task Compliance_keys_manage_policies_editors_and_anonymous_callers_are_refused()
    {
        var room = await Newsroom.CreateAsync(api);
        var compliance = api.Client(await api.CreateKeyAsync("compliance"));
        var editor = api.Client(await api.CreateKeyAsync("editor"));
        var anonymous = api.Client();
        var list = $"{room.Admin}/consent-policies";

        var created = await compliance.PostAsJsonAsync(list, Policy(), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("key:", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("createdBy"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetAsync(list, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetAsync($"{list}/1", Ct)).StatusCode);
        using (var publish = new HttpRequestMessage(HttpMethod.Post, $"{list}/1/publish"))
        {
            publish.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            Assert.Equal(HttpStatusCode.OK, (await compliance.SendAsync(publish, Ct)).StatusCode);
        }

        await Problem.AssertAsync(await editor.PostAsJsonAsync(list, Policy(), Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await editor.GetAsync(list, Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await editor.GetAsync($"{list}/1", Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await anonymous.GetAsync(list, Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Single((await api.Admin().GetFromJsonAsync<JsonElement>(list, Ct)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_demo_site_serves_a_published_banner_of_the_seeds_kind()
    {
        var response = await api.Client().GetAsync("/api/v1/sites/daxdi/consent-policy", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, policy.GetProperty("number").GetInt32());
        Assert.Equal(JsonValueKind.String, policy.GetProperty("publishedAt").ValueKind);
        Assert.True(policy.GetProperty("texts").TryGetProperty("en", out var english));
        Assert.StartsWith("https://", english.Str("policyUrl"), StringComparison.Ordinal);
        Assert.True(policy.GetProperty("texts").TryGetProperty("it", out _));
        var controls = policy.GetProperty("controls").EnumerateArray().ToDictionary(c => c.Str("key"), c => c.Str("meaning"));
        Assert.Equal("openPreferences", controls["preferences"]);
        Assert.Equal("savePreferences", controls["save"]);
        Assert.Equal("implied", controls["continue"]);
        var categories = policy.GetProperty("categories").EnumerateArray().ToDictionary(c => c.Str("key"));
        Assert.True(categories["technical"].GetProperty("required").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(categories["technical"].Str("justification")));
        Assert.False(categories["profiling"].GetProperty("required").GetBoolean());
        Assert.False(categories["profiling"].GetProperty("default").GetBoolean());
        var parties = categories.Values.SelectMany(c => c.GetProperty("services").EnumerateArray()).Select(s => s.Str("party")).ToHashSet();
        Assert.Equal(["first", "third"], parties.Order());
        var mode = policy.GetProperty("consentMode");
        Assert.Equal(["ad_storage", "ad_user_data", "ad_personalization"], mode.GetProperty("profiling").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["security_storage", "functionality_storage"], mode.GetProperty("technical").EnumerateArray().Select(s => s.GetString()));
        var admin = await GetAsync("/api/v1/admin/sites/daxdi/consent-policies/1");
        Assert.Equal("published", admin.Str("status"));
        Assert.Equal(policy.Str("contentHash"), admin.Str("contentHash"));
    }

    [Fact]
    public async Task The_documented_request_example_creates_a_draft_that_publishes()
    {
        var room = await Newsroom.CreateAsync(api);
        var document = await api.Client().GetFromJsonAsync<JsonObject>("/swagger/v1/swagger.json", Ct);
        var example = document!["paths"]!["/api/v1/admin/sites/{site}/consent-policies"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;

        var created = await CreateAsync(room, example.DeepClone().AsObject());
        var published = await PublishAsync(room, created.GetProperty("number").GetInt32(), created.Version());

        Assert.Equal("published", published.Str("status"));
    }

    [Fact]
    public async Task The_public_policy_answers_browsers_of_the_sites_origins_only()
    {
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sites/daxdi/consent-policy") { Headers = { { "Origin", "https://daxdi.example" } } };
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sites/daxdi/consent-policy") { Headers = { { "Origin", "https://elsewhere.example" } } };

        var fromSite = await api.Client().SendAsync(allowed, Ct);
        var fromElsewhere = await api.Client().SendAsync(other, Ct);

        Assert.Equal(HttpStatusCode.OK, fromSite.StatusCode);
        Assert.Equal("https://daxdi.example", fromSite.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(fromElsewhere.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<JsonElement> CreateAsync(Newsroom room, JsonObject body)
    {
        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/consent-policies", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> PublishAsync(Newsroom room, int number, int version)
    {
        var response = await SendAsync(HttpMethod.Post, $"{room.Admin}/consent-policies/{number}/publish", null, ifMatch: $"\"{version}\"");
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> CreateAndPublishAsync(Newsroom room, JsonObject body)
    {
        var draft = await CreateAsync(room, body);
        return await PublishAsync(room, draft.GetProperty("number").GetInt32(), draft.Version());
    }

    private async Task<JsonElement> PublicAsync(Newsroom room) =>
        await api.Client().GetFromJsonAsync<JsonElement>($"{room.Public}/consent-policy", Ct);

    private async Task<JsonElement> GetAsync(string url) => await api.Admin().GetFromJsonAsync<JsonElement>(url, Ct);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, JsonObject? body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await api.Admin().SendAsync(request, Ct);
    }
}

/// <summary>A host with the demo content (its daxdi site has a published banner) on a fresh SQLite database.</summary>
public sealed class SqliteConsentApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Api = new ApiFactory(TestStore.Sqlite(), ("Seed:DemoContent", "true"), ("RateLimits:Admin:PermitLimit", "1000000"));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>As <see cref="SqliteConsentApi"/>, on a fresh PostgreSQL database; skipped without a server.</summary>
public sealed class PostgreSqlConsentApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Api = new ApiFactory(await TestStore.PostgreSqlAsync(), ("Seed:DemoContent", "true"), ("RateLimits:Admin:PermitLimit", "1000000"));

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

public sealed class SqliteConsentPolicyApiTests(SqliteConsentApi fixture) : ConsentPolicyApiTests(fixture.Api), IClassFixture<SqliteConsentApi>;

public sealed class PostgreSqlConsentPolicyApiTests(PostgreSqlConsentApi fixture) : ConsentPolicyApiTests(fixture.Api), IClassFixture<PostgreSqlConsentApi>;
