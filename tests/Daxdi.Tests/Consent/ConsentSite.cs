using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Domain.Consent;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Consent;

/// <summary>
/// A site of its own with a published consent policy shaped like a news site's banner: a required technical category,
/// an optional profiling one, Preferences, Save, Continue (implied), Accept all and Reject all.
/// </summary>
public sealed class ConsentSite
{
    private ConsentSite(ApiFactory api, string site)
    {
        Api = api;
        Site = site;
    }

    public ApiFactory Api { get; }

    public string Site { get; }

    public string Public => $"/api/v1/sites/{Site}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ConsentPolicyContent Banner(string message = "We use cookies to run the site and, if you agree, to profile your reading.",
        int consentDays = 180) => new()
    {
        Texts = new Dictionary<string, BannerText>
        {
            ["en"] = new() { Title = "Cookies on Harbor Times", Message = message, PolicyUrl = "https://harbor.example/cookies" },
        },
        Controls =
        [
            new() { Key = "continue", Label = "Continue", Meaning = ControlMeaning.Implied },
            new() { Key = "preferences", Label = "Preferences", Meaning = ControlMeaning.OpenPreferences },
            new() { Key = "save", Label = "Save choices", Meaning = ControlMeaning.SavePreferences },
            new() { Key = "accept", Label = "Accept all", Meaning = ControlMeaning.AcceptAll },
            new() { Key = "reject", Label = "Reject all", Meaning = ControlMeaning.RejectAll },
        ],
        Categories =
        [
            new()
            {
                Key = "technical", Name = "Technical", Description = "Keeps you signed in and remembers this choice.", Required = true,
                Justification = "Needed to deliver the pages you ask for.",
                Services = [new() { Name = "session", Provider = "harbor.example", Party = ServiceParty.First, Lifetime = "session" }],
            },
            new()
            {
                Key = "profiling", Name = "Profiling", Description = "Builds a profile of your reading to choose ads.", Required = false,
                Services = [new() { Name = "adnet", Provider = "ads.example", Party = ServiceParty.Third, Lifetime = "13 months" }],
            },
        ],
        ConsentMode = new Dictionary<string, IReadOnlyList<string>>
        {
            ["technical"] = ["security_storage", "functionality_storage"],
            ["profiling"] = ["ad_storage", "ad_user_data", "ad_personalization"],
        },
        GpcRefuses = ["profiling"],
        ConsentLifetimeDays = consentDays,
        RefusalLifetimeDays = 182,
    };

    /// <summary>A new site with <see cref="Banner"/> published as version 1.</summary>
    public static async Task<ConsentSite> CreateAsync(ApiFactory api)
    {
        var room = new ConsentSite(api, $"cons-{Guid.NewGuid():N}"[..20]);
        var created = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", new
        {
            key = room.Site, name = "Harbor Times", domain = "harbor.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en",
        }, Ct);
        created.EnsureSuccessStatusCode();
        await room.AddPolicyAsync(Banner(), publish: true);
        return room;
    }

    /// <summary>The same site as another host sees it (a node on the same store, or a host on a restored copy).</summary>
    public ConsentSite On(ApiFactory api) => new(api, Site);

    /// <summary>Stores a policy version directly (the policy API has tests of its own); returns its number.</summary>
    public async Task<int> AddPolicyAsync(ConsentPolicyContent content, bool publish)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var siteId = await db.Sites.Where(s => s.Key == Site).Select(s => s.Id).SingleAsync(Ct);
        var policies = await db.ConsentPolicies.Where(p => p.SiteId == siteId).ToListAsync(Ct);
        var policy = new ConsentPolicy(siteId, policies.Count + 1, content, "test", DateTime.UtcNow);
        if (publish)
        {
            policy.Publish(policies.Where(p => p.IsPublished).MaxBy(p => p.Number), "test", DateTime.UtcNow);
        }

        db.ConsentPolicies.Add(policy);
        await db.SaveChangesAsync(Ct);
        return policy.Number;
    }

    public Task<HttpResponseMessage> PostAsync(object decision, HttpClient? client = null) =>
        (client ?? Api.Client()).PostAsJsonAsync($"{Public}/consents", decision, Ct);

    public async Task<JsonElement> RecordAsync(object decision, HttpClient? client = null)
    {
        var response = await PostAsync(decision, client);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public async Task<JsonElement> SubjectAsync(string subjectId)
    {
        var response = await Api.Client().GetAsync($"{Public}/consent-subjects/{subjectId}", Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public async Task<JsonElement> VerifyAsync()
    {
        var response = await Api.Admin().GetAsync($"/api/v1/admin/sites/{Site}/consents/verification", Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Runs <paramref name="sql"/> on the store, as someone with database access would; <c>{site}</c> is the site's id.</summary>
    public async Task TamperAsync(string sql)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var siteId = await db.Sites.Where(s => s.Key == Site).Select(s => s.Id).SingleAsync(Ct);
        var id = db.Database.IsNpgsql() ? $"'{siteId}'" : $"'{siteId.ToString().ToUpperInvariant()}'";
        await db.Database.ExecuteSqlRawAsync(sql.Replace("{site}", id, StringComparison.Ordinal), Ct);
    }
}
