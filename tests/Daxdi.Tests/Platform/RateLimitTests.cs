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
