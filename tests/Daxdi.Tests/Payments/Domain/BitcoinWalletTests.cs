using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using static Daxdi.Tests.Payments.Domain.PaymentFixture;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>Key generations, derivation indexes and the address gap.</summary>
public sealed class BitcoinWalletTests
{
    [Fact]
    public void A_new_wallet_has_the_documented_defaults()
    {
        var wallet = Wallet();

        Assert.Equal((1, 0, 0), (wallet.KeyGeneration, wallet.NextIndex, wallet.Gap));
        Assert.Equal(1, wallet.RequiredConfirmations);
        Assert.Equal(TimeSpan.FromMinutes(15), wallet.IntentLifetime);
        Assert.Equal(TimeSpan.FromHours(24), wallet.MonitoringWindow);
        Assert.Equal(0m, wallet.UnderpaymentTolerancePercent);
        Assert.Equal(BitcoinNetwork.Regtest, wallet.Network);
    }

    [Fact]
    public void Indexes_are_handed_out_in_order_and_never_twice()
    {
        var wallet = Wallet();

        var slots = Enumerable.Range(0, 5).Select(i => wallet.AllocateAddress(Now.AddSeconds(i))).ToList();

        Assert.Equal([0, 1, 2, 3, 4], slots.Select(s => s.Index));
        Assert.All(slots, s => Assert.Equal((wallet.Id, 1, "tpubTestKeyOne"), (s.WalletId, s.KeyGeneration, s.ExtendedPublicKey)));
        Assert.Equal(5, wallet.NextIndex);
        Assert.Equal(6, wallet.Version); // each allocation is a new version: two concurrent ones cannot both save
    }

    [Fact]
    public void Intents_take_consecutive_indexes_from_their_wallet()
    {
        var wallet = Wallet();

        var intents = Enumerable.Range(0, 3).Select(_ => Intent(wallet: wallet)).ToList();

        Assert.Equal([0, 1, 2], intents.Select(i => i.DerivationIndex));
        Assert.Equal(["bcrt1qtest1x0", "bcrt1qtest1x1", "bcrt1qtest1x2"], intents.Select(i => i.Address));
        Assert.All(intents, i => Assert.Equal((wallet.Id, 1, BitcoinNetwork.Regtest), (i.WalletId, i.KeyGeneration, i.Network)));
    }

    [Fact]
    public void Changing_the_key_starts_a_new_generation_at_index_zero()
    {
        var wallet = Wallet();
        var old = Intent(wallet: wallet);
        wallet.AllocateAddress(Now);

        Assert.True(wallet.Configure(Settings(key: "tpubTestKeyTwo"), Now.AddDays(1)));

        Assert.Equal((2, 0, 0, "tpubTestKeyTwo"), (wallet.KeyGeneration, wallet.NextIndex, wallet.Gap, wallet.ExtendedPublicKey));
        var retired = Assert.Single(wallet.RetiredKeys);
        Assert.Equal((1, "tpubTestKeyOne", 2), (retired.Generation, retired.ExtendedPublicKey, retired.NextIndex));
        var slot = wallet.AllocateAddress(Now.AddDays(1));
        Assert.Equal((2, 0), (slot.KeyGeneration, slot.Index));
        Assert.Equal((1, "bcrt1qtest1x0"), (old.KeyGeneration, old.Address)); // the old intent keeps its address
        Assert.True(old.IsWatched(Now.AddDays(1)));
    }

    [Fact]
    public void Changing_the_network_starts_a_new_generation_too()
    {
        var wallet = Wallet();
        wallet.AllocateAddress(Now);

        Assert.True(wallet.Configure(new WalletSettings(BitcoinNetwork.Signet, "tpubTestKeyOne"), Now.AddDays(1)));

        Assert.Equal((2, 0, BitcoinNetwork.Signet), (wallet.KeyGeneration, wallet.NextIndex, wallet.Network));
    }

    [Fact]
    public void Going_back_to_an_earlier_key_resumes_after_its_last_index()
    {
        var wallet = Wallet();
        for (var i = 0; i < 7; i++)
        {
            wallet.AllocateAddress(Now);
        }

        wallet.Configure(Settings(key: "tpubTestKeyTwo"), Now.AddDays(1));
        wallet.AllocateAddress(Now.AddDays(1));
        wallet.Configure(Settings(key: "tpubTestKeyOne"), Now.AddDays(2));

        Assert.Equal(3, wallet.KeyGeneration);
        Assert.Equal(7, wallet.AllocateAddress(Now.AddDays(2)).Index);
        Assert.Equal(1, wallet.Gap);
    }

    [Fact]
    public void Changing_only_the_terms_keeps_the_generation_and_the_counter()
    {
        var wallet = Wallet();
        wallet.AllocateAddress(Now);
        var version = wallet.Version;

        Assert.False(wallet.Configure(Settings() with { RequiredConfirmations = 3, IntentLifetimeMinutes = 30 }, Now.AddDays(1)));

        Assert.Equal((1, 1, 3, 30), (wallet.KeyGeneration, wallet.NextIndex, wallet.RequiredConfirmations, wallet.IntentLifetimeMinutes));
        Assert.Equal(version + 1, wallet.Version);
    }

    [Fact]
    public void The_same_settings_change_nothing()
    {
        var wallet = Wallet();
        var version = wallet.Version;

        Assert.False(wallet.Configure(Settings() with { UnderpaymentTolerancePercent = 0.00m }, Now.AddDays(1)));

        Assert.Equal(version, wallet.Version);
    }

    [Fact]
    public void The_gap_counts_addresses_given_out_since_the_last_paid_one_and_warns_past_twenty()
    {
        var wallet = Wallet();
        for (var i = 0; i < PaymentRules.GapLimit; i++)
        {
            wallet.AllocateAddress(Now);
        }

        Assert.Equal((20, false), (wallet.Gap, wallet.GapLimitExceeded));
        wallet.AllocateAddress(Now);
        Assert.Equal((21, true), (wallet.Gap, wallet.GapLimitExceeded));

        Assert.True(wallet.MarkAddressUsed(1, 15, Now));
        Assert.Equal((5, false), (wallet.Gap, wallet.GapLimitExceeded));
        Assert.False(wallet.MarkAddressUsed(1, 10, Now)); // already covered
        Assert.False(wallet.MarkAddressUsed(1, 21, Now)); // never handed out
        Assert.False(wallet.MarkAddressUsed(2, 3, Now)); // another generation
        Assert.True(wallet.MarkAddressUsed(1, 20, Now));
        Assert.Equal(0, wallet.Gap);
    }

    [Fact]
    public void Payments_on_a_retired_key_do_not_touch_the_current_gap()
    {
        var wallet = Wallet();
        wallet.AllocateAddress(Now);
        wallet.Configure(Settings(key: "tpubTestKeyTwo"), Now);
        wallet.AllocateAddress(Now);

        Assert.False(wallet.MarkAddressUsed(1, 0, Now));
        Assert.Equal(1, wallet.Gap);
    }

    [Theory]
    [InlineData(0, 15, 24, "0")]
    [InlineData(145, 15, 24, "0")]
    [InlineData(1, 0, 24, "0")]
    [InlineData(1, 1441, 24, "0")]
    [InlineData(1, 15, 0, "0")]
    [InlineData(1, 15, 721, "0")]
    [InlineData(1, 15, 24, "-1")]
    [InlineData(1, 15, 24, "50.01")]
    [InlineData(1, 15, 24, "0.125")]
    public void Settings_out_of_range_are_refused(int confirmations, int lifetime, int window, string tolerance)
    {
        var settings = Settings() with
        {
            RequiredConfirmations = confirmations,
            IntentLifetimeMinutes = lifetime,
            MonitoringWindowHours = window,
            UnderpaymentTolerancePercent = decimal.Parse(tolerance, System.Globalization.CultureInfo.InvariantCulture),
        };

        var error = Assert.Throws<DomainException>(() => new BitcoinWallet(SiteId, settings, Now));
        Assert.Equal("wallet.invalid_settings", error.Code);
        Assert.Throws<DomainException>(() => Wallet().Configure(settings, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tpub with spaces")]
    public void A_key_that_is_not_a_key_string_is_refused(string key)
    {
        var error = Assert.Throws<DomainException>(() => new BitcoinWallet(SiteId, Settings(key: key), Now));
        Assert.Equal("wallet.invalid_settings", error.Code);
    }
}
