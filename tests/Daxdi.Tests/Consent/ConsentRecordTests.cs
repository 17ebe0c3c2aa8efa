using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Domain.Consent;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Events;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Consent;

/// <summary>Recording banner decisions: the rules of consent, the receipt, the effective consent and the proof chain.</summary>
public abstract class ConsentRecordTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Saved_preferences_are_recorded_as_a_receipt_and_become_the_visitors_effective_consent()
    {
        var room = await ConsentSite.CreateAsync(api);

        var response = await room.PostAsync(new
        {
            policyVersion = 1, decision = "custom", control = "save", categories = new { profiling = true },
            url = "https://harbor.example/news/ferry", language = "en",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var subject = receipt.GetProperty("subjectId").GetString()!;
        Assert.StartsWith("sub_", subject, StringComparison.Ordinal);
        Assert.Equal($"{room.Public}/consent-subjects/{subject}", response.Headers.Location?.OriginalString);
        Assert.Equal(1, receipt.GetProperty("policyVersion").GetInt32());
        Assert.Equal(64, receipt.GetProperty("policyHash").GetString()!.Length);
        Assert.True(receipt.GetProperty("effective").GetProperty("technical").GetBoolean());
        Assert.True(receipt.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.True(receipt.GetProperty("validForProcessing").GetBoolean());
        var mode = receipt.GetProperty("consentMode");
        Assert.Equal(7, mode.EnumerateObject().Count());
        Assert.Equal("granted", mode.GetProperty("ad_storage").GetString());
        Assert.Equal("granted", mode.GetProperty("security_storage").GetString());
        Assert.Equal("denied", mode.GetProperty("analytics_storage").GetString());
        var recordedAt = receipt.GetProperty("recordedAt").GetDateTime();
        Assert.Equal(recordedAt.AddDays(180), receipt.GetProperty("expiresAt").GetDateTime());
        Assert.Equal(1, receipt.GetProperty("sequence").GetInt64());

        var effective = await room.SubjectAsync(subject);
        Assert.False(effective.GetProperty("renewalRequired").GetBoolean());
        Assert.True(effective.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.Equal(receipt.GetProperty("consentId").GetGuid(), effective.GetProperty("consentId").GetGuid());
    }

    [Fact]
    public async Task The_receipt_is_signed_over_its_own_content_with_a_published_key()
    {
        var room = await ConsentSite.CreateAsync(api);

        var receipt = await room.RecordAsync(new { policyVersion = 1, decision = "implied", control = "continue" });

        var jws = receipt.GetProperty("signature").GetString()!;
        var keys = await api.Client().GetFromJsonAsync<JsonElement>("/api/v1/consent/jwks.json", Ct);
        Assert.True(ReceiptSigningTests.Verifies(jws, keys));
        var signed = System.Text.Json.Nodes.JsonNode.Parse(ReceiptSigningTests.Decode(jws.Split('.')[1]))!;
        var answered = System.Text.Json.Nodes.JsonNode.Parse(receipt.GetRawText())!.AsObject();
        answered.Remove("signature");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(answered, signed), $"{answered}\n{signed}");
    }

    [Fact]
    public async Task The_effective_consent_carries_an_etag_for_cheap_polling()
    {
        var room = await ConsentSite.CreateAsync(api);
        var subject = (await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject" })).GetProperty("subjectId").GetString();

        var first = await api.Client().GetAsync($"{room.Public}/consent-subjects/{subject}", Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{room.Public}/consent-subjects/{subject}");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var notModified = await api.Client().SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("no-cache", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.True(first.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        await Problem.AssertAsync(await api.Client().GetAsync($"{room.Public}/consent-subjects/sub_nobody_here", Ct),
            HttpStatusCode.NotFound, "consent.subject_not_found");
    }

    [Fact]
    public async Task Continue_is_recorded_but_grants_only_required_categories_and_is_not_valid_for_processing()
    {
        var room = await ConsentSite.CreateAsync(api);

        var receipt = await room.RecordAsync(new { policyVersion = 1, decision = "implied", control = "continue", subjectId = "visitor-continue-1" });

        Assert.Equal("visitor-continue-1", receipt.GetProperty("subjectId").GetString());
        Assert.False(receipt.GetProperty("validForProcessing").GetBoolean());
        Assert.True(receipt.GetProperty("effective").GetProperty("technical").GetBoolean());
        Assert.False(receipt.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.All(receipt.GetProperty("consentMode").EnumerateObject(), s => Assert.Equal("denied", s.Value.GetString()));
        Assert.Contains("EDPB", receipt.GetProperty("note").GetString(), StringComparison.Ordinal);
        await Problem.AssertAsync(await room.PostAsync(new { policyVersion = 1, decision = "implied", control = "continue", categories = new { profiling = true } }),
            HttpStatusCode.UnprocessableEntity, "consent.control_cannot_grant");
    }

    [Theory]
    [InlineData("{\"policyVersion\":9,\"decision\":\"acceptAll\",\"control\":\"accept\"}", 422, "consent.unknown_policy_version")]
    [InlineData("{\"policyVersion\":2,\"decision\":\"acceptAll\",\"control\":\"accept\"}", 422, "consent.policy_not_published")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"custom\",\"control\":\"save\",\"categories\":{\"marketing\":true}}", 400, "consent.unknown_category")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"custom\",\"control\":\"save\",\"categories\":{\"technical\":false}}", 422, "consent.required_refused")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"custom\",\"control\":\"preferences\",\"categories\":{\"profiling\":true}}", 422, "consent.control_cannot_grant")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"acceptAll\",\"control\":\"continue\"}", 422, "consent.control_mismatch")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"acceptAll\",\"control\":\"nope\"}", 400, "consent.unknown_control")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"acceptAll\"}", 400, "consent.control_required")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"maybe\",\"control\":\"accept\"}", 400, "request.malformed_json")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"acceptAll\",\"control\":\"accept\",\"subjectId\":\"x\"}", 400, "request.validation_failed")]
    [InlineData("{\"policyVersion\":1,\"decision\":\"acceptAll\",\"control\":\"accept\",\"url\":\"javascript:alert(1)\"}", 400, "request.validation_failed")]
    public async Task A_decision_the_policy_does_not_allow_is_refused_with_its_code_and_leaves_no_record(string body, int status, string code)
    {
        var room = await ConsentSite.CreateAsync(api);
        await room.AddPolicyAsync(ConsentSite.Banner("A draft wording."), publish: false);

        var response = await api.Client().PostAsync($"{room.Public}/consents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        await Problem.AssertAsync(response, (HttpStatusCode)status, code);
        Assert.Equal(0, (await room.VerifyAsync()).GetProperty("length").GetInt64());
        await Problem.AssertAsync(await api.Client().PostAsJsonAsync("/api/v1/sites/no-such-site/consents",
            new { policyVersion = 1, decision = "acceptAll", control = "accept" }, Ct), HttpStatusCode.NotFound, "site.not_found");
    }

    [Fact]
    public async Task Global_privacy_control_refuses_the_categories_the_policy_names()
    {
        var room = await ConsentSite.CreateAsync(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{room.Public}/consents")
        {
            Content = JsonContent.Create(new { policyVersion = 1, decision = "acceptAll", control = "accept" }),
        };
        request.Headers.Add("Sec-GPC", "1");

        var receipt = await (await api.Client().SendAsync(request, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.False(receipt.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.True(receipt.GetProperty("gpcApplied").GetBoolean());
        Assert.Equal("denied", receipt.GetProperty("consentMode").GetProperty("ad_storage").GetString());
    }

    [Fact]
    public async Task A_withdrawal_takes_effect_at_once_and_a_changed_policy_asks_again()
    {
        var room = await ConsentSite.CreateAsync(api);
        var given = await room.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept" });
        var subject = given.GetProperty("subjectId").GetString()!;
        var other = (await room.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept" })).GetProperty("subjectId").GetString()!;

        await room.RecordAsync(new { policyVersion = 1, decision = "withdraw", subjectId = subject });
        var withdrawn = await room.SubjectAsync(subject);
        Assert.True(withdrawn.GetProperty("renewalRequired").GetBoolean());
        Assert.Equal("withdrawn", withdrawn.GetProperty("renewalReason").GetString());
        Assert.False(withdrawn.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.Equal("denied", withdrawn.GetProperty("consentMode").GetProperty("ad_storage").GetString());

        await room.AddPolicyAsync(ConsentSite.Banner(consentDays: 90), publish: true);
        Assert.False((await room.SubjectAsync(other)).GetProperty("renewalRequired").GetBoolean());
        await room.AddPolicyAsync(ConsentSite.Banner("New wording: we now also measure audiences."), publish: true);
        var outdated = await room.SubjectAsync(other);
        Assert.True(outdated.GetProperty("renewalRequired").GetBoolean());
        Assert.Equal("policyChanged", outdated.GetProperty("renewalReason").GetString());
        Assert.Equal(3, outdated.GetProperty("currentPolicyVersion").GetInt32());
        Assert.False(outdated.GetProperty("effective").GetProperty("profiling").GetBoolean());
    }

    [Fact]
    public async Task Each_decision_raises_one_consent_recorded_event_without_personal_data()
    {
        var room = await ConsentSite.CreateAsync(api);
        await room.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept", url = "https://harbor.example/secret-page" });

        var events = await OutboxTests.EventsAsync(api, room.Site);

        var recorded = Assert.Single(events);
        Assert.Equal("consent.recorded", recorded.Type);
        Assert.StartsWith("sub_", recorded.Body.GetProperty("data").GetProperty("subjectId").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-page", recorded.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_decisions_keep_the_chain_linear_and_it_verifies()
    {
        var room = await ConsentSite.CreateAsync(api);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            room.RecordAsync(new { policyVersion = 1, decision = i % 2 == 0 ? "acceptAll" : "rejectAll", control = i % 2 == 0 ? "accept" : "reject" })));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), receipts.Select(r => r.GetProperty("sequence").GetInt64()).Order());
        var report = await room.VerifyAsync();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(40, report.GetProperty("checked").GetInt64());
        Assert.Equal(40, report.GetProperty("length").GetInt64());
    }

    [Fact]
    public async Task Verification_while_decisions_are_appended_reports_the_chain_intact()
    {
        var room = await ConsentSite.CreateAsync(api);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writers = Enumerable.Range(0, 4).Select(async _ =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject" });
                written++;
            }

            return written;
        }).ToList();

        // Walk until the chain has grown by 50 decisions under the walks (at least 10 walks).
        var reports = new List<JsonElement> { await room.VerifyAsync() };
        while (reports.Count < 10 || reports[^1].GetProperty("length").GetInt64() < reports[0].GetProperty("length").GetInt64() + 50)
        {
            reports.Add(await room.VerifyAsync());
        }

        await stop.CancelAsync();
        var written = (await Task.WhenAll(writers)).Sum();
        Assert.All(reports, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
        Assert.Equal(written, (await room.VerifyAsync()).GetProperty("length").GetInt64());
    }

    [Fact]
    public async Task A_decision_the_store_refuses_fails_alone_and_the_decisions_committed_with_it_are_kept()
    {
        var room = await ConsentSite.CreateAsync(api);
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var published = await db.ConsentPolicies.AsNoTracking().SingleAsync(p => p.SiteId == db.Sites.Single(s => s.Key == room.Site).Id, Ct);
        // A version that was never stored: the record's foreign key to it makes the store refuse that record's commit.
        var unstored = new ConsentPolicy(published.SiteId, 99, ConsentSite.Banner(), "test", DateTime.UtcNow);
        unstored.Publish(published, "test", DateTime.UtcNow);
        var appender = api.Services.GetRequiredService<Application.Common.GroupCommit<ConsentRecord, Mediator.Unit>>();

        var good = Enumerable.Range(0, 30).Select(_ => Refusal(published)).ToList();
        var appends = good.Select(r => appender.SubmitAsync(r, Ct)).ToList();
        var refused = appender.SubmitAsync(Refusal(unstored), Ct);
        appends.AddRange(Enumerable.Range(0, 30).Select(_ => appender.SubmitAsync(Refusal(published), Ct)));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => refused);
        await Task.WhenAll(appends);
        var report = await room.VerifyAsync();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(60, report.GetProperty("length").GetInt64());

        static ConsentRecord Refusal(ConsentPolicy policy)
        {
            var choice = new ConsentChoice(ConsentDecisionKind.RejectAll, "reject", new Dictionary<string, bool>(), GlobalPrivacyControl: false);
            return ConsentRecord.Create(policy.SiteId, policy, choice, ConsentDecisions.Apply(policy, choice, DateTime.UtcNow), "sub_batch",
                new ConsentContext("en", null, null, null), DateTime.UtcNow);
        }
    }

    [Theory]
    [InlineData("UPDATE \"ConsentRecords\" SET \"Decision\" = 'AcceptAll' WHERE \"SiteId\" = {site} AND \"Sequence\" = 2", 2, "edited")]
    [InlineData("UPDATE \"ConsentRecords\" SET \"PageUrl\" = 'https://elsewhere.example/' WHERE \"SiteId\" = {site} AND \"Sequence\" = 2", 2, "personal fields")]
    [InlineData("DELETE FROM \"ConsentRecords\" WHERE \"SiteId\" = {site} AND \"Sequence\" = 2", 2, "deleted")]
    [InlineData("DELETE FROM \"ConsentRecords\" WHERE \"SiteId\" = {site} AND \"Sequence\" = 3", 3, "deleted")]
    [InlineData("UPDATE \"ConsentRecords\" SET \"Sequence\" = \"Sequence\" + 10 WHERE \"SiteId\" = {site} AND \"Sequence\" >= 2", 2, "deleted")]
    public async Task A_row_edited_deleted_or_moved_in_the_database_is_found_by_verification(string sql, long failedAt, string problem)
    {
        var room = await ConsentSite.CreateAsync(api);
        for (var i = 0; i < 3; i++)
        {
            await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject", url = $"https://harbor.example/{i}" });
        }

        Assert.True((await room.VerifyAsync()).GetProperty("ok").GetBoolean());
        await room.TamperAsync(sql);

        var report = await room.VerifyAsync();
        Assert.False(report.GetProperty("ok").GetBoolean());
        var failure = report.GetProperty("firstFailure");
        Assert.Equal(failedAt, failure.GetProperty("sequence").GetInt64());
        Assert.Contains(problem, failure.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_inserted_in_the_database_is_found_by_verification()
    {
        var room = await ConsentSite.CreateAsync(api);
        await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject" });
        await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject" });
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
            var site = await db.Sites.SingleAsync(s => s.Key == room.Site, Ct);
            var policy = await db.ConsentPolicies.SingleAsync(p => p.SiteId == site.Id, Ct);
            // A forged decision at the next free position, as someone with database access could write it.
            var choice = new ConsentChoice(ConsentDecisionKind.AcceptAll, "accept", new Dictionary<string, bool>(), false);
            var fork = new ConsentChain(site.Id, DateTime.UtcNow);
            ConsentRecord Forge() => ConsentRecord.Create(site.Id, policy, choice, ConsentDecisions.Apply(policy, choice, DateTime.UtcNow),
                "sub_forged_subject", new ConsentContext("en", null, null, null), DateTime.UtcNow);
            fork.Append(Forge(), DateTime.UtcNow);
            fork.Append(Forge(), DateTime.UtcNow);
            var forged = Forge();
            fork.Append(forged, DateTime.UtcNow);
            db.ConsentRecords.Add(forged);
            await db.SaveChangesAsync(Ct);
        }

        var report = await room.VerifyAsync();

        Assert.False(report.GetProperty("ok").GetBoolean());
        Assert.Equal(3, report.GetProperty("firstFailure").GetProperty("sequence").GetInt64());
        Assert.Contains("a row was inserted", report.GetProperty("firstFailure").GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_cannot_be_changed_or_deleted_through_the_store_except_by_erasure()
    {
        var room = await ConsentSite.CreateAsync(api);
        await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject", subjectId = "visitor-to-erase", url = "https://harbor.example/a" });
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var record = await db.ConsentRecords.SingleAsync(r => r.SubjectId == "visitor-to-erase", Ct);

        db.Entry(record).Property(r => r.Language).CurrentValue = "de";
        var edit = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        Assert.Contains("only erasure", edit.Message, StringComparison.Ordinal);
        db.ChangeTracker.Clear();
        db.ConsentRecords.Remove(await db.ConsentRecords.SingleAsync(r => r.SubjectId == "visitor-to-erase", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();

        (await db.ConsentRecords.SingleAsync(r => r.SubjectId == "visitor-to-erase", Ct)).Erase(DateTime.UtcNow);
        await db.SaveChangesAsync(Ct);

        var erased = await db.ConsentRecords.AsNoTracking().SingleAsync(r => r.Id == record.Id, Ct);
        Assert.Null(erased.SubjectId);
        Assert.Null(erased.PageUrl);
        Assert.Null(erased.PersonalSalt);
        Assert.True((await room.VerifyAsync()).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Compliance_finds_a_subjects_records_exports_them_and_erases_them_with_the_chain_intact()
    {
        var room = await ConsentSite.CreateAsync(api);
        var compliance = api.Client(await api.CreateKeyAsync("compliance"));
        await room.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept", subjectId = "visitor-dsar-1", url = "https://harbor.example/x" });
        await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject" });
        await room.RecordAsync(new { policyVersion = 1, decision = "withdraw", subjectId = "visitor-dsar-1" });
        var admin = $"/api/v1/admin/sites/{room.Site}";

        var mine = await compliance.GetFromJsonAsync<JsonElement>($"{admin}/consents?subjectId=visitor-dsar-1", Ct);
        var firstPage = await compliance.GetFromJsonAsync<JsonElement>($"{admin}/consents?limit=2", Ct);
        var secondPage = await compliance.GetFromJsonAsync<JsonElement>(
            $"{admin}/consents?limit=2&cursor={Uri.EscapeDataString(firstPage.GetProperty("nextCursor").GetString()!)}", Ct);
        var rejections = await compliance.GetFromJsonAsync<JsonElement>($"{admin}/consents?decision=rejectAll", Ct);
        await Problem.AssertAsync(await compliance.GetAsync($"{admin}/consents?decision=maybe", Ct), HttpStatusCode.BadRequest, "request.validation_failed");

        Assert.Equal([3L, 1L], mine.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal([3L, 2L], firstPage.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal([1L], secondPage.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextCursor").ValueKind);
        Assert.Equal(1, rejections.GetProperty("items").GetArrayLength());

        var export = await compliance.GetFromJsonAsync<JsonElement>($"{admin}/consent-subjects/visitor-dsar-1", Ct);
        Assert.Equal(["acceptAll", "withdraw"], export.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("decision").GetString()));
        Assert.Equal("https://harbor.example/x", export.GetProperty("records")[0].GetProperty("pageUrl").GetString());
        var policy = Assert.Single(export.GetProperty("policies").EnumerateArray());
        Assert.Equal(export.GetProperty("records")[0].GetProperty("policyHash").GetString(), policy.GetProperty("contentHash").GetString());
        Assert.Equal("technical", policy.GetProperty("content").GetProperty("categories")[0].GetProperty("key").GetString());

        var erased = await compliance.DeleteAsync($"{admin}/consent-subjects/visitor-dsar-1", Ct);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(2, (await erased.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("records").GetInt32());
        await Problem.AssertAsync(await compliance.GetAsync($"{admin}/consent-subjects/visitor-dsar-1", Ct), HttpStatusCode.NotFound, "consent.subject_not_found");
        await Problem.AssertAsync(await compliance.DeleteAsync($"{admin}/consent-subjects/visitor-dsar-1", Ct), HttpStatusCode.NotFound, "consent.subject_not_found");
        var all = await compliance.GetFromJsonAsync<JsonElement>($"{admin}/consents", Ct);
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());
        Assert.Equal(2, all.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("erasedAt").ValueKind == JsonValueKind.String));
        Assert.DoesNotContain("harbor.example/x", all.ToString(), StringComparison.Ordinal);
        Assert.True((await room.VerifyAsync()).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Verification_is_for_compliance_and_admin_keys()
    {
        var room = await ConsentSite.CreateAsync(api);
        var compliance = api.Client(await api.CreateKeyAsync("compliance"));
        var editor = api.Client(await api.CreateKeyAsync("editor"));

        Assert.Equal(HttpStatusCode.OK, (await compliance.GetAsync($"/api/v1/admin/sites/{room.Site}/consents/verification", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync($"/api/v1/admin/sites/{room.Site}/consents/verification", Ct)).StatusCode);
    }
}

public sealed class SqliteConsentRecordTests(SqliteApi fixture) : ConsentRecordTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlConsentRecordTests(PostgreSqlApi fixture) : ConsentRecordTests(fixture.Api), IClassFixture<PostgreSqlApi>;
