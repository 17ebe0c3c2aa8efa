using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Webhooks;

/// <summary>
/// The webhook admin API over HTTP: subscriptions and their secrets, the SSRF guard's refusals, pings, the delivery
/// log and redelivery, and who may use it. The host admits loopback targets (nothing needs to listen: no test here
/// sends a webhook) and sends nothing itself, so what a test arranges stays as it left it.
/// </summary>
public abstract class WebhookAdminApiTests(ApiFactory api)
{
    /// <summary>The host's settings: loopback allowed as a target, a distinctive overlap, no dispatching.</summary>
    internal static readonly (string, string)[] Settings =
    [
        ("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8"),
        ("Webhooks:SecretOverlapHours", "6"),
        ("Webhooks:DispatcherEnabled", "false"),
    ];

    private const string Target = "https://127.0.0.1:9/hooks/daxdi";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_a_whsec_secret_of_32_random_bytes_that_reads_never_show()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks",
            new { url = Target, events = new[] { "article.published", "article.deleted" }, description = "Search index" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.Id();
        Assert.Equal($"{room.Admin}/webhooks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal(Target, created.Str("url"));
        Assert.Equal(["article.published", "article.deleted"], Events(created));
        Assert.Equal("Search index", created.Str("description"));
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("disabledReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("previousSecretExpiresAt").ValueKind);
        Assert.Equal(0, created.GetProperty("consecutiveFailures").GetInt32());
        var secret = created.Str("secret");
        Assert.Equal(32, SecretBytes(secret).Length);

        var read = await api.Admin().GetAsync(response.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        var readText = await read.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(secret, readText, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(readText).RootElement.TryGetProperty("secret", out _));
        var listText = await api.Admin().GetStringAsync($"{room.Admin}/webhooks", Ct);
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(listText).RootElement.GetProperty("items")[0].TryGetProperty("secret", out _));

        var other = await CreateAsync(room);
        Assert.NotEqual(secret, other.Str("secret"));
    }

    [Theory]
    [InlineData("article.exploded")]
    [InlineData("Article.Published")]
    [InlineData("webhook.ping")]
    public async Task Create_refuses_an_event_type_outside_the_catalogue_and_the_ping_naming_it(string eventType)
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks",
            new { url = Target, events = new[] { "article.published", eventType } }, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "webhook.unknown_event_type");
        Assert.Contains($"'{eventType}'", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(0, (await ListAsync($"{room.Admin}/webhooks")).GetArrayLength());
    }

    [Fact]
    public async Task Create_validates_url_events_and_description_field_by_field()
    {
        var room = await Newsroom.CreateAsync(api);

        async Task<JsonElement> RefusedAsync(object body) => await Problem.AssertAsync(
            await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", body, Ct), HttpStatusCode.BadRequest, "request.validation_failed");

        Assert.True((await RefusedAsync(new { url = Target, events = Array.Empty<string>() })).GetProperty("errors").TryGetProperty("events", out _));
        Assert.True((await RefusedAsync(new { url = Target, events = new[] { "article.published", "article.published" } }))
            .GetProperty("errors").TryGetProperty("events", out _));
        Assert.True((await RefusedAsync(new { url = "/hooks/daxdi", events = new[] { "article.published" } })).GetProperty("errors").TryGetProperty("url", out _));
        Assert.True((await RefusedAsync(new { url = Target + "?" + new string('a', WebhookRules.UrlMaxLength), events = new[] { "article.published" } }))
            .GetProperty("errors").TryGetProperty("url", out _));
        Assert.True((await RefusedAsync(new { url = Target, events = new[] { "article.published" }, description = new string('d', 501) }))
            .GetProperty("errors").TryGetProperty("description", out _));
        await Problem.AssertAsync(await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", new { url = Target }, Ct),
            HttpStatusCode.BadRequest, "request.missing_property");
        await Problem.AssertAsync(await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks",
            new { url = Target, events = new[] { "article.published" }, secret = "whsec_mine" }, Ct), HttpStatusCode.BadRequest, "request.unknown_property");
    }

    [Theory]
    [InlineData("https://127.0.0.1:9/hooks")]
    [InlineData("https://127.10.20.30/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]:9/hooks")]
    public async Task Loopback_targets_are_accepted_inside_webhooks_allowed_private_networks(string url)
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", new { url, events = new[] { "article.published" } }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(url, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Str("url"));
    }

    [Fact]
    public async Task Ipv6_loopback_stays_refused_when_only_the_ipv4_loopback_range_is_allowed()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks",
            new { url = "https://[::1]:9/hooks", events = new[] { "article.published" } }, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "webhook.url_private_address");
    }

    [Fact]
    public async Task A_site_has_at_most_20_subscriptions_and_the_next_create_answers_409_webhook_limit_reached()
    {
        var room = await Newsroom.CreateAsync(api);
        var other = await Newsroom.CreateAsync(api);
        for (var i = 0; i < WebhookRules.MaxSubscriptionsPerSite; i++)
        {
            await CreateAsync(room, url: $"{Target}/{i}");
        }

        var over = await api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", new { url = Target, events = new[] { "article.published" } }, Ct);

        await Problem.AssertAsync(over, HttpStatusCode.Conflict, "webhook.limit_reached");
        Assert.Equal(WebhookRules.MaxSubscriptionsPerSite, (await ListAsync($"{room.Admin}/webhooks?limit=100")).GetArrayLength());
        await CreateAsync(other);
    }

    [Fact]
    public async Task Parallel_creates_near_the_limit_never_take_a_site_past_it()
    {
        var room = await Newsroom.CreateAsync(api);
        for (var i = 0; i < WebhookRules.MaxSubscriptionsPerSite - 2; i++)
        {
            await CreateAsync(room, url: $"{Target}/{i}");
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", new { url = $"{Target}/race-{i}", events = new[] { "article.published" } }, Ct)));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "webhook.limit_reached");
        }

        Assert.Equal(WebhookRules.MaxSubscriptionsPerSite, (await ListAsync($"{room.Admin}/webhooks?limit=100")).GetArrayLength());
    }

    [Fact]
    public async Task Replace_sets_every_field_checks_the_new_url_and_answers_412_to_a_stale_if_match()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var body = new { url = "https://127.0.0.2/v2", events = new[] { "article.updated" }, description = "v2", enabled = false };

        var replaced = await SendAsync(HttpMethod.Put, url, body, ifMatch: "\"1\"");
        var stale = await SendAsync(HttpMethod.Put, url, body, ifMatch: "\"1\"");
        var privateTarget = await SendAsync(HttpMethod.Put, url, body with { url = "https://10.0.0.1/v2" });

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.ToString());
        var webhook = await replaced.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("https://127.0.0.2/v2", webhook.Str("url"));
        Assert.Equal(["article.updated"], Events(webhook));
        Assert.Equal("v2", webhook.Str("description"));
        Assert.False(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, webhook.Version());
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        await Problem.AssertAsync(privateTarget, HttpStatusCode.BadRequest, "webhook.url_private_address");
        Assert.Equal("https://127.0.0.2/v2", (await GetAsync(url)).Str("url"));
    }

    [Fact]
    public async Task Enabling_a_subscription_the_dispatcher_disabled_clears_its_reason_and_failure_count()
    {
        var room = await Newsroom.CreateAsync(api);
        var id = (await CreateAsync(room)).Id();
        await InStoreAsync(async db =>
        {
            var subscription = await db.WebhookSubscriptions.SingleAsync(s => s.Id == id, Ct);
            subscription.RecordFailure(disableAfter: 1, "10 deliveries in a row failed.", DateTime.UtcNow);
        });
        var url = $"{room.Admin}/webhooks/{id}";
        var disabled = await GetAsync(url);

        var enabled = await SendAsync(HttpMethod.Put, url, new { url = Target, events = new[] { "article.published" }, enabled = true });

        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal("10 deliveries in a row failed.", disabled.Str("disabledReason"));
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        Assert.Equal(1, disabled.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var webhook = await enabled.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, webhook.GetProperty("disabledReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, webhook.GetProperty("disabledAt").ValueKind);
        Assert.Equal(0, webhook.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task Delete_answers_204_takes_the_delivery_log_with_it_and_412_to_a_stale_if_match()
    {
        var room = await Newsroom.CreateAsync(api);
        var id = (await CreateAsync(room)).Id();
        var url = $"{room.Admin}/webhooks/{id}";
        var delivery = await PingAsync(url);

        var stale = await SendAsync(HttpMethod.Delete, url, ifMatch: "\"7\"");
        var deleted = await SendAsync(HttpMethod.Delete, url, ifMatch: "\"1\"");

        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem.AssertAsync(await api.Admin().GetAsync(url, Ct), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{url}/deliveries/{delivery.Id()}", Ct), HttpStatusCode.NotFound, "webhook.not_found");
        Assert.Equal(0, await InStoreAsync(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id, Ct)));
        await Problem.AssertAsync(await SendAsync(HttpMethod.Delete, url), HttpStatusCode.NotFound, "webhook.not_found");
    }

    [Fact]
    public async Task Rotating_shows_a_new_secret_once_and_the_previous_one_signs_until_the_configured_overlap_ends()
    {
        var room = await Newsroom.CreateAsync(api);
        var created = await CreateAsync(room);
        var url = $"{room.Admin}/webhooks/{created.Id()}";
        var before = DateTime.UtcNow;

        var response = await SendAsync(HttpMethod.Post, $"{url}/rotate-secret", ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = rotated.Str("secret");
        Assert.Equal(32, SecretBytes(secret).Length);
        Assert.NotEqual(created.Str("secret"), secret);
        var until = (await GetAsync(url)).GetProperty("previousSecretExpiresAt").GetDateTime();
        Assert.InRange(until, before.AddHours(6).AddSeconds(-1), DateTime.UtcNow.AddHours(6).AddSeconds(1));
        Assert.Equal(until, rotated.GetProperty("previousSecretExpiresAt").GetDateTime());
        Assert.DoesNotContain(secret, await api.Admin().GetStringAsync(url, Ct), StringComparison.Ordinal);
        var signing = await InStoreAsync(async db => (await db.WebhookSubscriptions.SingleAsync(s => s.Id == created.Id(), Ct)).SigningSecrets(DateTime.UtcNow));
        Assert.Equal([secret, created.Str("secret")], signing);
        var afterOverlap = await InStoreAsync(async db => (await db.WebhookSubscriptions.SingleAsync(s => s.Id == created.Id(), Ct)).SigningSecrets(until.AddSeconds(1)));
        Assert.Equal([secret], afterOverlap);
    }

    [Fact]
    public async Task Rotating_takes_an_overlap_of_0_to_720_hours()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var before = DateTime.UtcNow;

        var twoHours = await SendAsync(HttpMethod.Post, $"{url}/rotate-secret", new { overlapHours = 2 });
        var none = await SendAsync(HttpMethod.Post, $"{url}/rotate-secret", new { overlapHours = 0 });
        var tooLong = await SendAsync(HttpMethod.Post, $"{url}/rotate-secret", new { overlapHours = 721 });
        var stale = await SendAsync(HttpMethod.Post, $"{url}/rotate-secret", ifMatch: "\"1\"");

        var first = await twoHours.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.InRange(first.GetProperty("previousSecretExpiresAt").GetDateTime(), before.AddHours(2).AddSeconds(-1), DateTime.UtcNow.AddHours(2).AddSeconds(1));
        var second = await none.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("previousSecretExpiresAt").ValueKind);
        Assert.Equal(3, second.Version());
        var problem = await Problem.AssertAsync(tooLong, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("overlapHours", out _));
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
    }

    [Fact]
    public async Task A_ping_is_one_delivery_to_that_subscription_only_of_an_event_written_as_dispatched()
    {
        var room = await Newsroom.CreateAsync(api);
        var pinged = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var sibling = $"{room.Admin}/webhooks/{(await CreateAsync(room, events: ["article.published", "article.updated"])).Id()}";

        var response = await SendAsync(HttpMethod.Post, $"{pinged}/ping");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivery = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal($"{pinged}/deliveries/{delivery.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("webhook.ping", delivery.Str("eventType"));
        Assert.Equal("pending", delivery.Str("status"));
        Assert.Equal(0, delivery.GetProperty("attempts").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        var log = await ListAsync($"{pinged}/deliveries");
        Assert.Equal(delivery.Id(), Assert.Single(log.EnumerateArray()).Id());
        Assert.Equal(0, (await ListAsync($"{sibling}/deliveries")).GetArrayLength());
        var read = await GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(delivery.GetProperty("eventId").GetGuid(), read.GetProperty("eventId").GetGuid());
        Assert.Equal(0, read.GetProperty("attemptLog").GetArrayLength());

        var eventId = delivery.GetProperty("eventId").GetGuid();
        var outbox = await InStoreAsync(db => db.OutboxEvents.SingleAsync(e => e.Id == eventId, Ct));
        Assert.Equal("webhook.ping", outbox.Type);
        Assert.NotNull(outbox.DispatchedAt);
        var body = JsonDocument.Parse(outbox.Body).RootElement;
        Assert.Equal("webhook.ping", body.Str("type"));
        Assert.Equal(pinged.Split('/')[^1], body.GetProperty("data").Str("webhookId"));
    }

    [Fact]
    public async Task A_disabled_subscription_is_not_pinged_409_webhook_disabled()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/webhooks/{(await CreateAsync(room, enabled: false)).Id()}";

        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{url}/ping"), HttpStatusCode.Conflict, "webhook.disabled");
        Assert.Equal(0, (await ListAsync($"{url}/deliveries")).GetArrayLength());
    }

    [Fact]
    public async Task Redelivering_a_failed_delivery_makes_it_pending_now_with_the_same_event_id_and_keeps_its_attempts()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var pinged = await PingAsync(url);
        var failedAt = DateTime.UtcNow;
        await InStoreAsync(async db =>
        {
            var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == pinged.Id(), Ct);
            db.WebhookAttempts.Add(new WebhookAttempt(delivery, 1, failedAt, 87, 503, "upstream busy", null));
            delivery.AttemptFailed(503, retryAt: null, failedAt);
        });
        var deliveryUrl = $"{url}/deliveries/{pinged.Id()}";
        var failed = await GetAsync(deliveryUrl);
        var failedList = await ListAsync($"{url}/deliveries?status=failed");

        var response = await SendAsync(HttpMethod.Post, $"{deliveryUrl}/redeliver");

        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal(503, failed.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
        var attempt = Assert.Single(failed.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal(87, attempt.GetProperty("durationMs").GetInt32());
        Assert.Equal(503, attempt.GetProperty("statusCode").GetInt32());
        Assert.Equal("upstream busy", attempt.Str("responseBody"));
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);
        Assert.Equal(pinged.Id(), Assert.Single(failedList.EnumerateArray()).Id());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(deliveryUrl, response.Headers.Location?.OriginalString);
        var redelivered = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(pinged.Id(), redelivered.Id());
        Assert.Equal(pinged.GetProperty("eventId").GetGuid(), redelivered.GetProperty("eventId").GetGuid());
        Assert.Equal("pending", redelivered.Str("status"));
        Assert.Equal(1, redelivered.GetProperty("attempts").GetInt32());
        Assert.InRange(redelivered.GetProperty("nextAttemptAt").GetDateTime(), failedAt.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(JsonValueKind.Null, redelivered.GetProperty("completedAt").ValueKind);
        Assert.Equal(0, (await ListAsync($"{url}/deliveries?status=failed")).GetArrayLength());
        Assert.Equal(pinged.Id(), Assert.Single((await ListAsync($"{url}/deliveries?status=pending")).EnumerateArray()).Id());
        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{deliveryUrl}/redeliver"), HttpStatusCode.Conflict, "webhook_delivery.pending");
    }

    [Fact]
    public async Task The_delivery_log_is_newest_first_keyset_paginated_and_filtered_by_status_and_event_type()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var pings = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            pings.Add((await PingAsync(url)).Id());
            // Times are whole milliseconds: two deliveries of one millisecond are ordered by their ids, whose bits
            // after the time are random (UUIDv7), not by which came first. A CI run met that once (2026-12-08).
            await Task.Delay(2, Ct);
        }

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"{url}/deliveries?limit=2", Ct);
        var cursor = first.Str("nextCursor");
        var second = await api.Admin().GetFromJsonAsync<JsonElement>($"{url}/deliveries?limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct);

        Assert.Equal([pings[2], pings[1]], first.GetProperty("items").EnumerateArray().Select(d => d.Id()));
        Assert.Equal([pings[0]], second.GetProperty("items").EnumerateArray().Select(d => d.Id()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(3, (await ListAsync($"{url}/deliveries?eventType=webhook.ping&status=pending")).GetArrayLength());
        Assert.Equal(0, (await ListAsync($"{url}/deliveries?eventType=article.published")).GetArrayLength());
        Assert.Equal(0, (await ListAsync($"{url}/deliveries?status=succeeded")).GetArrayLength());
        var status = await Problem.AssertAsync(await api.Admin().GetAsync($"{url}/deliveries?status=sent", Ct), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(status.GetProperty("errors").TryGetProperty("status", out _));
        foreach (var bad in new[] { "bm90LWEtY3Vyc29y", Cursor.Encode(pings[0].ToString()), Cursor.Encode("yesterday", pings[0].ToString()) })
        {
            var refused = await api.Admin().GetAsync($"{url}/deliveries?cursor={Uri.EscapeDataString(bad)}", Ct);
            Assert.True((await Problem.AssertAsync(refused, HttpStatusCode.BadRequest, "request.validation_failed")).GetProperty("errors").TryGetProperty("cursor", out _));
        }
    }

    [Fact]
    public async Task The_webhook_list_is_newest_first_and_keyset_paginated()
    {
        var room = await Newsroom.CreateAsync(api);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await CreateAsync(room, url: $"{Target}/{i}")).Id());
            // Newest first is to the millisecond (creation times are stored so); ids only break ties within one.
            await Task.Delay(2, Ct);
        }

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/webhooks?limit=2", Ct);
        var second = await api.Admin().GetFromJsonAsync<JsonElement>(
            $"{room.Admin}/webhooks?limit=2&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}", Ct);

        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(w => w.Id()));
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(w => w.Id()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Editors_manage_webhooks_authors_get_403_and_anonymous_callers_401()
    {
        var room = await Newsroom.CreateAsync(api);
        var editor = api.Client(await api.CreateKeyAsync("editor"));
        var author = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var body = new { url = Target, events = new[] { "article.published" } };

        var created = await editor.PostAsJsonAsync($"{room.Admin}/webhooks", body, Ct);
        var url = created.Headers.Location!.OriginalString;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await editor.PostAsync($"{url}/ping", null, Ct)).StatusCode);
        await Problem.AssertAsync(await author.PostAsJsonAsync($"{room.Admin}/webhooks", body, Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await author.GetAsync($"{room.Admin}/webhooks", Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await author.GetAsync(url, Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await author.GetAsync($"{url}/deliveries", Ct), HttpStatusCode.Forbidden, "auth.forbidden");
        await Problem.AssertAsync(await api.Client().GetAsync(url, Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await Problem.AssertAsync(await api.Client().PostAsJsonAsync($"{room.Admin}/webhooks", body, Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task Another_sites_subscription_and_another_subscriptions_delivery_are_404()
    {
        var room = await Newsroom.CreateAsync(api);
        var elsewhere = await Newsroom.CreateAsync(api);
        var theirs = (await CreateAsync(elsewhere)).Id();
        var ours = $"{room.Admin}/webhooks/{(await CreateAsync(room)).Id()}";
        var theirDelivery = (await PingAsync($"{elsewhere.Admin}/webhooks/{theirs}")).Id();
        var wrongSite = $"{room.Admin}/webhooks/{theirs}";
        var put = new { url = Target, events = new[] { "article.published" } };

        await Problem.AssertAsync(await api.Admin().GetAsync(wrongSite, Ct), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Put, wrongSite, put), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Delete, wrongSite), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{wrongSite}/rotate-secret"), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{wrongSite}/ping"), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{wrongSite}/deliveries", Ct), HttpStatusCode.NotFound, "webhook.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{ours}/deliveries/{theirDelivery}", Ct), HttpStatusCode.NotFound, "webhook_delivery.not_found");
        await Problem.AssertAsync(await SendAsync(HttpMethod.Post, $"{ours}/deliveries/{theirDelivery}/redeliver"), HttpStatusCode.NotFound, "webhook_delivery.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{ours}/deliveries/{Guid.NewGuid()}", Ct), HttpStatusCode.NotFound, "webhook_delivery.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/sites/no-such-site/webhooks", Ct), HttpStatusCode.NotFound, "site.not_found");
        Assert.Equal(1, (await ListAsync($"{elsewhere.Admin}/webhooks/{theirs}/deliveries")).GetArrayLength());
    }

    private static async Task<JsonElement> CreateAsync(Newsroom room, string url = Target, string[]? events = null, bool enabled = true) =>
        await room.PostOkAsync($"{room.Admin}/webhooks", new { url, events = events ?? ["article.published"], enabled });

    private async Task<JsonElement> PingAsync(string webhookUrl)
    {
        var response = await SendAsync(HttpMethod.Post, $"{webhookUrl}/ping");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await api.Admin().GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<JsonElement> ListAsync(string url) => (await GetAsync(url)).GetProperty("items");

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return api.Admin().SendAsync(request, Ct);
    }

    /// <summary>Arranges or inspects what the API does not show (a failed attempt, the outbox) through the store itself.</summary>
    private async Task<T> InStoreAsync<T>(Func<DaxdiDbContext, Task<T>> work)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var result = await work(db);
        await db.SaveChangesAsync(Ct);
        return result;
    }

    private async Task InStoreAsync(Func<DaxdiDbContext, Task> work) => await InStoreAsync(async db =>
    {
        await work(db);
        return true;
    });

    private static string[] Events(JsonElement webhook) => [.. webhook.GetProperty("events").EnumerateArray().Select(e => e.GetString()!)];

    internal static byte[] SecretBytes(string secret)
    {
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        return Convert.FromBase64String(secret["whsec_".Length..]);
    }
}

public sealed class SqliteWebhookAdminApiTests(SqliteWebhookApi fixture) : WebhookAdminApiTests(fixture.Api), IClassFixture<SqliteWebhookApi>;

public sealed class PostgreSqlWebhookAdminApiTests(PostgreSqlWebhookApi fixture) : WebhookAdminApiTests(fixture.Api), IClassFixture<PostgreSqlWebhookApi>;

/// <summary>
/// The SSRF guard at subscription time, on a host with the default settings (environment Testing, no private network
/// allowed): every refusal is a 400 with the guard's own code, and nothing is stored.
/// </summary>
public sealed class WebhookTargetApiTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://hooks.example/daxdi", "webhook.url_not_https")]
    [InlineData("https://10.0.0.1/hooks", "webhook.url_private_address")]
    [InlineData("https://192.168.1.20/hooks", "webhook.url_private_address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "webhook.url_private_address")]
    [InlineData("https://127.0.0.1:9/hooks", "webhook.url_private_address")]
    [InlineData("https://localhost:9/hooks", "webhook.url_private_address")]
    [InlineData("https://[::1]:9/hooks", "webhook.url_private_address")]
    [InlineData("https://[::ffff:127.0.0.1]:9/hooks", "webhook.url_private_address")]
    [InlineData("https://[::ffff:169.254.169.254]/hooks", "webhook.url_private_address")]
    [InlineData("https://hooks.daxdi.invalid/daxdi", "webhook.url_unresolvable")]
    [InlineData("https://user:secret@hooks.example/daxdi", "webhook.url_invalid")]
    [InlineData("ftp://hooks.example/daxdi", "webhook.url_invalid")]
    public async Task A_url_the_guard_refuses_answers_400_with_its_code_and_creates_nothing(string url, string code)
    {
        var room = await Newsroom.CreateAsync(fixture.Api);

        var response = await fixture.Api.Admin().PostAsJsonAsync($"{room.Admin}/webhooks", new { url, events = new[] { "article.published" } }, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, code);
        Assert.DoesNotContain("secret@", problem.GetRawText(), StringComparison.Ordinal);
        var list = await fixture.Api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/webhooks", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }
}

/// <summary>A host over a fresh SQLite file with <see cref="WebhookAdminApiTests.Settings"/>.</summary>
public sealed class SqliteWebhookApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Api = new ApiFactory(TestStore.Sqlite(), WebhookAdminApiTests.Settings);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>A host over a fresh PostgreSQL database with <see cref="WebhookAdminApiTests.Settings"/>; skipped without a server.</summary>
public sealed class PostgreSqlWebhookApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = new ApiFactory(await TestStore.PostgreSqlAsync(), WebhookAdminApiTests.Settings);

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
