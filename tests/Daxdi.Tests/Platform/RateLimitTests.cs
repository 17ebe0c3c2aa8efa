using System.Net;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Platform;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Past_the_admin_limit_a_credential_gets_429_with_retry_after()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("RateLimits:Admin:PermitLimit", "3"), ("RateLimits:Admin:WindowSeconds", "120"));
        var admin = api.Admin();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/sites", ct)).StatusCode);
        }

        var limited = await admin.GetAsync("/api/v1/admin/sites", ct);

        await Problem.AssertAsync(limited, HttpStatusCode.TooManyRequests, "request.rate_limited");
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 120);
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/ready", ct)).StatusCode);
    }
}

/// <summary>Guessing keys is limited per client address, and the limit is answered before any credential is looked up.</summary>
public sealed class FailedAuthenticationLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_allowed_failures_a_client_gets_429_even_with_a_valid_key_until_the_window_ends()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("RateLimits:FailedAuthentication:PermitLimit", "3"), ("RateLimits:FailedAuthentication:WindowSeconds", "120"));
        var admin = api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/sites", Ct)).StatusCode);
        var guesses = Enumerable.Range(0, 3).Select(i => api.Client($"dx_{new string((char)('a' + i), 40)}")).ToList();

        foreach (var guess in guesses)
        {
            await Problem.AssertAsync(await guess.GetAsync("/api/v1/admin/sites", Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }

        var limited = await guesses[0].GetAsync("/api/v1/admin/sites", Ct);
        await Problem.AssertAsync(limited, HttpStatusCode.TooManyRequests, "request.rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(120), limited.Headers.RetryAfter?.Delta);
        // The limit comes before the store lookup, so it cannot tell a valid key from a guess.
        await Problem.AssertAsync(await admin.GetAsync("/api/v1/admin/sites", Ct), HttpStatusCode.TooManyRequests, "request.rate_limited");
        await Problem.AssertAsync(await api.Client().GetAsync("/api/v1/admin/sites", Ct), HttpStatusCode.TooManyRequests, "request.rate_limited");
        // Public reads do not need a credential, so a sent one being refused does not block them.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await guesses[1].GetAsync("/api/v1/sites/daxdi/tags", Ct)).StatusCode);
    }

    [Fact]
    public async Task Requests_without_any_key_spend_the_same_budget()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(), ("RateLimits:FailedAuthentication:PermitLimit", "2"));
        var anonymous = api.Client();

        await Problem.AssertAsync(await anonymous.GetAsync("/api/v1/admin/api-keys", Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await Problem.AssertAsync(await anonymous.GetAsync("/api/v1/admin/api-keys", Ct), HttpStatusCode.Unauthorized, "auth.unauthenticated");

        await Problem.AssertAsync(await anonymous.GetAsync("/api/v1/admin/api-keys", Ct), HttpStatusCode.TooManyRequests, "request.rate_limited");
    }
}
