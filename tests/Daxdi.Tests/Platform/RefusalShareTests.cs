using Daxdi.Api.Hosting;

namespace Daxdi.Tests.Platform;

/// <summary>
/// The rule that steers an overloaded node's refusals: a queue that stands raises the share refused as far as needed,
/// a burst moves it briefly and too little to refuse, and a node whose delay is under the target refuses nothing.
/// </summary>
public sealed class RefusalShareTests
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(2);

    [Fact]
    public void A_delay_that_stays_over_the_target_raises_the_share_until_every_request_is_refused()
    {
        var share = new RefusalShare(Target);

        for (var probe = 0; probe < 6; probe++)
        {
            share.Observe(TimeSpan.FromMilliseconds(12));
        }

        Assert.Equal(0.6, share.Current, precision: 6);

        share.Observe(TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, share.Current);
        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.True(share.Refuses()));
    }

    [Fact]
    public void A_burst_raises_the_share_a_little_and_the_next_probes_under_the_target_take_it_back_to_nothing()
    {
        var share = new RefusalShare(Target);

        share.Observe(TimeSpan.FromMilliseconds(5));
        Assert.Equal(0.03, share.Current, precision: 6);
        // Under 10 %, nothing is refused: a moment of blocked threads on a quiet node is no overload.
        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.False(share.Refuses()));

        share.Observe(TimeSpan.Zero);
        share.Observe(TimeSpan.Zero);
        Assert.Equal(0, share.Current);
        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.False(share.Refuses()));
    }

    [Fact]
    public void About_the_share_of_requests_is_refused()
    {
        var share = new RefusalShare(Target);
        share.Observe(TimeSpan.FromMilliseconds(42));

        var refused = Enumerable.Range(0, 10_000).Count(_ => share.Refuses());

        // 40 % of 10,000: a binomial count with a standard deviation of 49, so this range is eight of them each side.
        Assert.InRange(refused, 3_600, 4_400);
    }
}
