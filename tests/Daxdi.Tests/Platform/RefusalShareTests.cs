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
        Assert.Equal(1_000, RefusedOf(share, 1_000));
    }

    [Fact]
    public void A_burst_raises_the_share_a_little_and_the_next_probes_under_the_target_take_it_back_to_nothing()
    {
        var share = new RefusalShare(Target);

        share.Observe(TimeSpan.FromMilliseconds(5));
        Assert.Equal(0.03, share.Current, precision: 6);
        // Under 10 %, nothing is refused: a moment of blocked threads on a quiet node is no overload.
        Assert.Equal(0, RefusedOf(share, 1_000));

        share.Observe(TimeSpan.Zero);
        share.Observe(TimeSpan.Zero);
        Assert.Equal(0, share.Current);
        Assert.Equal(0, RefusedOf(share, 1_000));
    }

    [Fact]
    public void About_the_share_of_requests_is_refused()
    {
        var share = new RefusalShare(Target);
        share.Observe(TimeSpan.FromMilliseconds(42));

        var refused = RefusedOf(share, 10_000);

        // 40 % of 10,000: a binomial count with a standard deviation of 49, so this range is eight of them each side.
        Assert.InRange(refused, 3_600, 4_400);
    }

    private static int RefusedOf(RefusalShare share, int requests) => Enumerable.Range(0, requests).Count(_ => share.Refuses());
}
