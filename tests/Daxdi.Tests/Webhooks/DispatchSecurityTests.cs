using System.Collections.Concurrent;
using System.Net;
using Daxdi.Application.Abstractions;
using Daxdi.Infrastructure.Webhooks;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Webhooks;

/// <summary>
/// The send-time SSRF guard: the dispatcher resolves the host itself and connects only to an address the policy
/// allows, whatever the name resolved to when the subscription was checked; and it follows no redirect.
/// </summary>
public sealed class DispatchSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_host_that_resolves_to_a_refused_address_is_never_connected_to_and_the_attempt_says_why(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = DispatchHost.Create(TestStore.Sqlite(), allowLoopback: false);
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, $"http://{host}:{receiver.Port}/hooks", WebhookReceiver.NewSecret());

        await room.PublishedAsync();

        var attempt = Assert.Single(await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, 1));
        Assert.Null(attempt.StatusCode);
        Assert.StartsWith($"Refused to connect: the host '{host}' resolves to ", attempt.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", attempt.Error, StringComparison.Ordinal);
        Assert.EndsWith("a private, loopback, link-local or reserved address that webhooks may not reach.", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_name_that_rebinds_to_loopback_after_the_subscription_check_is_refused_at_connect()
    {
        var dns = new SwappableResolver();
        dns.Set("hooks.example", [IPAddress.Parse("93.184.215.14")]);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = DispatchHost.Create(TestStore.Sqlite(), allowLoopback: false,
            services: s => s.AddSingleton<IWebhookAddressResolver>(dns));
        var room = await Newsroom.CreateAsync(api);
        var url = $"https://hooks.example:{receiver.Port}/hooks";
        Assert.Null(await api.Services.GetRequiredService<IWebhookTargets>().CheckAsync(new Uri(url), Ct));
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, url, WebhookReceiver.NewSecret());

        dns.Set("hooks.example", [IPAddress.Loopback]);
        await room.PublishedAsync();

        var attempt = Assert.Single(await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, 1));
        Assert.Null(attempt.StatusCode);
        Assert.Equal("Refused to connect: the host 'hooks.example' resolves to 127.0.0.1, a private, loopback, link-local or reserved "
            + "address that webhooks may not reach.", attempt.Error);
        Assert.Empty(receiver.Received);
        // Once when the subscription was checked, and again when the dispatcher connected.
        Assert.Equal(2, dns.Lookups("hooks.example"));
    }

    [Fact]
    public async Task A_host_that_no_longer_resolves_fails_the_attempt_with_the_reason()
    {
        var dns = new SwappableResolver();
        dns.Set("gone.example", []);
        await using var api = DispatchHost.Create(TestStore.Sqlite(), services: s => s.AddSingleton<IWebhookAddressResolver>(dns));
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, "https://gone.example/hooks", WebhookReceiver.NewSecret());

        await room.PublishedAsync();

        var attempt = Assert.Single(await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, 1));
        Assert.Null(attempt.StatusCode);
        Assert.Equal("The host 'gone.example' does not resolve.", attempt.Error);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new Answer(302, Location: receiver.Url("/elsewhere"));
        await using var api = DispatchHost.Create(TestStore.Sqlite());
        var room = await Newsroom.CreateAsync(api);
        var subscription = await DispatchHost.SubscribeAsync(api, room.Site, receiver.Url(), WebhookReceiver.NewSecret());

        await room.PublishedAsync();

        var attempt = Assert.Single(await DispatchHost.WaitForAttemptsAsync(api, subscription.Id, 1));
        Assert.Equal(302, attempt.StatusCode);
        Assert.Equal("Redirects are not followed: a 3xx answer is a failure.", attempt.Error);
        await Task.Delay(500, Ct);
        Assert.Single(receiver.Received);
        Assert.Empty(receiver.To("/elsewhere"));
        var delivery = Assert.Single(await DispatchHost.DeliveriesAsync(api, subscription.Id));
        Assert.Equal(Domain.Webhooks.DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
    }

    /// <summary>DNS as the test says it is, counting lookups; other names resolve as usual.</summary>
    private sealed class SwappableResolver : IWebhookAddressResolver
    {
        private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, int> _lookups = new(StringComparer.OrdinalIgnoreCase);
        private readonly DnsWebhookAddressResolver _dns = new();

        public void Set(string host, IPAddress[] addresses) => _names[host] = addresses;

        public int Lookups(string host) => _lookups.GetValueOrDefault(host);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            _lookups.AddOrUpdate(host, 1, (_, n) => n + 1);
            return _names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : _dns.ResolveAsync(host, cancellationToken);
        }
    }
}
