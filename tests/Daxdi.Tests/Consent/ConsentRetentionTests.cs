using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Infrastructure.Consent;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Consent;

/// <summary>Time and consent: decisions expire and ask again; past retention, records keep their proof but lose the person.</summary>
public sealed class ConsentRetentionTests
{
    // Short spans from the real present: the host's key ring (Data Protection) runs on the same clock.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_decision_past_its_lifetime_asks_again_with_only_required_categories()
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = new ApiFactory(TestStore.Sqlite(), ("ConsentRetention:Enabled", "false")) { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        var room = await ConsentSite.CreateAsync(api);
        await room.AddPolicyAsync(ConsentSite.Banner(consentDays: 2), publish: true);
        var subject = (await room.RecordAsync(new { policyVersion = 2, decision = "acceptAll", control = "accept" })).GetProperty("subjectId").GetString()!;

        clock.Advance(TimeSpan.FromHours(47));
        Assert.False((await room.SubjectAsync(subject)).GetProperty("renewalRequired").GetBoolean());
        clock.Advance(TimeSpan.FromHours(2));
        var expired = await room.SubjectAsync(subject);

        Assert.True(expired.GetProperty("renewalRequired").GetBoolean());
        Assert.Equal("expired", expired.GetProperty("renewalReason").GetString());
        Assert.False(expired.GetProperty("effective").GetProperty("profiling").GetBoolean());
        Assert.True(expired.GetProperty("effective").GetProperty("technical").GetBoolean());
    }

    [Fact]
    public async Task Past_retention_records_are_anonymised_once_and_the_chain_still_verifies()
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = new ApiFactory(TestStore.Sqlite(), ("ConsentRetention:Enabled", "false")) { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        var room = await ConsentSite.CreateAsync(api);
        await room.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept", subjectId = "visitor-old-1", url = "https://harbor.example/old" });
        await room.RecordAsync(new { policyVersion = 1, decision = "withdraw", subjectId = "visitor-old-1" });
        clock.Advance(TimeSpan.FromDays(2));
        await room.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject", subjectId = "visitor-new-1" });
        // Configuration allows 30 days at least; the job takes any span.
        var settings = new ConsentRetentionOptions { RetentionDays = 1 };

        int first, second;
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            first = await ConsentRetentionService.EraseAllAsync(sender, settings, clock.GetUtcNow().UtcDateTime, Ct);
            second = await ConsentRetentionService.EraseAllAsync(sender, settings, clock.GetUtcNow().UtcDateTime, Ct);
        }

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        var cut = Uri.EscapeDataString(Start.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var before = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/sites/{room.Site}/consents?to={cut}", Ct);
        var after = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/sites/{room.Site}/consents?from={cut}", Ct);
        Assert.Equal([2L, 1L], before.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal([3L], after.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        var admin = $"/api/v1/admin/sites/{room.Site}";
        await Problem.AssertAsync(await api.Admin().GetAsync($"{admin}/consent-subjects/visitor-old-1", Ct), HttpStatusCode.NotFound, "consent.subject_not_found");
        Assert.Equal(HttpStatusCode.OK, (await api.Admin().GetAsync($"{admin}/consent-subjects/visitor-new-1", Ct)).StatusCode);
        var records = await api.Admin().GetFromJsonAsync<JsonElement>($"{admin}/consents", Ct);
        Assert.Equal(3, records.GetProperty("items").GetArrayLength());
        Assert.Equal(2, records.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("erasedAt").ValueKind == JsonValueKind.String));
        Assert.DoesNotContain("harbor.example/old", records.ToString(), StringComparison.Ordinal);
        Assert.True((await room.VerifyAsync()).GetProperty("ok").GetBoolean());
    }
}
