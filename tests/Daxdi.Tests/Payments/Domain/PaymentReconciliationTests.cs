using Daxdi.Domain.Payments;
using static Daxdi.Tests.Payments.Domain.PaymentFixture;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>What <see cref="PaymentIntent.Observe"/> makes of the chain monitor's view: payment rows and transitions.</summary>
public sealed class PaymentReconciliationTests
{
    [Fact]
    public void A_partial_payment_keeps_requires_payment_with_underpaid()
    {
        var intent = Intent();

        Assert.True(intent.See(Minutes(1), Out(1, 4_000)));

        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.Underpaid), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(4_000, intent.ReceivedSats);
        var changed = Assert.Single(intent.Events());
        Assert.Equal((PaymentIntentEventKind.PartiallyPaid, 4_000L, MonthlySats), (changed.Kind, changed.ReceivedSats, changed.AmountSats));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void Underpaid_then_topped_up_goes_processing_and_succeeds_when_both_confirm()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));

        intent.See(Minutes(5), Out(1, 4_000, Tip), Out(2, 6_000));
        Assert.Equal((PaymentStatus.Processing, PaymentExceptionStatus.None), (intent.Status, intent.ExceptionStatus));

        intent.Observe([Out(1, 4_000, Tip), Out(2, 6_000, Tip + 1)], Tip + 1, 1, Minutes(15));
        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.None), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(2, intent.Payments.Count);
        Assert.Equal(
            [PaymentIntentEventKind.PartiallyPaid, PaymentIntentEventKind.Processing, PaymentIntentEventKind.Succeeded],
            intent.Events().Select(e => e.Kind));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void Succeeding_with_more_than_the_amount_is_overpaid()
    {
        var intent = Intent();

        intent.See(Minutes(1), Out(1, MonthlySats + 1, Tip));

        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.Overpaid), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(MonthlySats + 1, intent.ReceivedSats);
    }

    [Fact]
    public void Succeeding_needs_the_amount_confirmed_not_just_seen()
    {
        var intent = Intent();

        // 6,000 confirmed and 4,000 in the mempool: processing until the second confirms.
        intent.See(Minutes(1), Out(1, 6_000, Tip), Out(2, 4_000));

        Assert.Equal(PaymentStatus.Processing, intent.Status);
        Assert.Equal(0, intent.Confirmations);
    }

    [Fact]
    public void The_underpayment_tolerance_counts_a_payment_short_by_it_as_full()
    {
        // 1 % of 10,000 sats: 9,900 is full, 9,899 is not.
        var tolerant = Intent(tolerance: 1m);
        Assert.Equal(9_900, tolerant.MinimumAcceptedSats);
        tolerant.See(Minutes(1), Out(1, 9_900, Tip));
        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.None), (tolerant.Status, tolerant.ExceptionStatus));

        var short1 = Intent(tolerance: 1m);
        short1.See(Minutes(1), Out(1, 9_899, Tip));
        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.Underpaid), (short1.Status, short1.ExceptionStatus));

        var strict = Intent();
        strict.See(Minutes(1), Out(1, MonthlySats - 1, Tip));
        Assert.Equal(PaymentExceptionStatus.Underpaid, strict.ExceptionStatus);
    }

    [Fact]
    public void The_tolerated_shortfall_is_rounded_down_in_the_merchants_favour()
    {
        // 0.5 % of 12,340 sats is 61.7: the visitor may be 61 short, not 62.
        var offers = Offers();
        var intent = Intent(tolerance: 0.5m, quote: offers.QuoteDonation(617)); // 6.17 EUR = 12,340 sats
        Assert.Equal(12_340, intent.AmountSats);
        Assert.Equal(12_340 - 61, intent.MinimumAcceptedSats);
    }

    [Fact]
    public void Full_payment_after_expiry_within_the_window_stays_expired_paid_late_and_unlocks_nothing()
    {
        var intent = Intent();
        intent.ExpireIfDue(Minutes(15));
        intent.TakeDomainEvents();

        intent.See(Minutes(60), Out(1, MonthlySats, Tip));

        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.PaidLate), (intent.Status, intent.ExceptionStatus));
        Assert.Null(intent.EntitlementId);
        Assert.Null(intent.NewEntitlement);
        Assert.Equal(PaymentIntentEventKind.PaidLate, Assert.Single(intent.Events()).Kind);
        Assert.False(intent.See(Minutes(70), Out(1, MonthlySats, Tip)));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_late_payment_seen_by_the_monitor_before_the_expiry_job_ran_is_still_late()
    {
        var intent = Intent();

        intent.See(Minutes(16), Out(1, MonthlySats, Tip));

        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.PaidLate), (intent.Status, intent.ExceptionStatus));
        Assert.Equal([PaymentStatus.RequiresPayment, PaymentStatus.Expired, PaymentStatus.Expired], intent.History.Select(h => h.To));
    }

    [Fact]
    public void Partial_payment_then_expiry_is_expired_underpaid_and_a_late_top_up_is_paid_late()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));

        intent.ExpireIfDue(Minutes(15));
        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.Underpaid), (intent.Status, intent.ExceptionStatus));

        intent.See(Minutes(30), Out(1, 4_000), Out(2, 6_000));
        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.PaidLate), (intent.Status, intent.ExceptionStatus));
    }

    [Fact]
    public void Payment_after_the_monitoring_window_raises_an_alert_instead_of_paid_late()
    {
        var intent = Intent();
        intent.ExpireIfDue(Minutes(15));
        Assert.True(intent.IsWatched(Minutes(15 + (24 * 60) - 1)));
        Assert.False(intent.IsWatched(Minutes(15 + (24 * 60))));
        intent.TakeDomainEvents();

        intent.See(Minutes(15 + (25 * 60)), Out(1, MonthlySats, Tip));

        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.None), (intent.Status, intent.ExceptionStatus));
        var alert = Assert.Single(intent.Events());
        Assert.Equal((PaymentIntentEventKind.Alert, PaymentAlertReason.PaymentOnClosedIntent), (alert.Kind, alert.Alert));
        Assert.Equal(PaymentAlertReason.PaymentOnClosedIntent, intent.History[^1].Alert);
    }

    [Fact]
    public void An_rbf_replacement_that_still_pays_keeps_processing()
    {
        var intent = InStatus(PaymentStatus.Processing);

        intent.See(Minutes(2), Out(2, MonthlySats));

        Assert.Equal(PaymentStatus.Processing, intent.Status);
        Assert.Equal(2, intent.Payments.Count);
        Assert.True(intent.Payments.Single(p => p.Txid == Tx(1)).IsGone);
        Assert.Equal(MonthlySats, intent.ReceivedSats);
        Assert.Empty(intent.Events());
    }

    [Fact]
    public void A_payment_replaced_by_one_that_does_not_pay_moves_processing_back_to_requires_payment_replaced()
    {
        var intent = InStatus(PaymentStatus.Processing);

        intent.See(Minutes(2));

        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.Replaced), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(0, intent.ReceivedSats);
        var payment = Assert.Single(intent.Payments);
        Assert.Equal(Minutes(2), payment.GoneAt);
        var changed = Assert.Single(intent.Events());
        Assert.Equal((PaymentIntentEventKind.PaymentReverted, PaymentStatus.Processing), (changed.Kind, changed.PreviousStatus));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_smaller_replacement_reverts_to_replaced_in_one_step()
    {
        var intent = InStatus(PaymentStatus.Processing);

        intent.See(Minutes(2), Out(2, 3_000));

        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.Replaced), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(3_000, intent.ReceivedSats);
        Assert.Single(intent.Events());
    }

    [Fact]
    public void A_replaced_payment_that_comes_back_before_expiry_is_processing_again()
    {
        var intent = InStatus(PaymentStatus.Processing);
        intent.See(Minutes(2));

        intent.See(Minutes(3), Out(1, MonthlySats, Tip));

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.False(Assert.Single(intent.Payments).IsGone);
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_payment_reorged_out_while_processing_moves_back_and_then_expires()
    {
        var intent = Intent();
        intent.Observe([Out(1, MonthlySats, Tip)], Tip, 3, Minutes(1));
        Assert.Equal((PaymentStatus.Processing, 1), (intent.Status, intent.Confirmations));

        intent.Observe([], Tip + 1, 3, Minutes(20));

        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.Replaced), (intent.Status, intent.ExceptionStatus));
        Assert.Equal([PaymentStatus.RequiresPayment, PaymentStatus.Processing, PaymentStatus.RequiresPayment, PaymentStatus.Expired],
            intent.History.Select(h => h.To));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_payment_reorged_back_into_the_mempool_while_processing_keeps_processing_without_confirmations()
    {
        var intent = Intent();
        intent.Observe([Out(1, MonthlySats, Tip)], Tip, 3, Minutes(1));

        intent.Observe([Out(1, MonthlySats)], Tip, 3, Minutes(11));

        Assert.Equal((PaymentStatus.Processing, 0), (intent.Status, intent.Confirmations));
        Assert.Null(Assert.Single(intent.Payments).BlockHeight);
    }

    [Fact]
    public void A_reorg_after_success_raises_an_alert_once_and_the_status_stays()
    {
        var intent = InStatus(PaymentStatus.Succeeded);
        var entitlement = intent.EntitlementId;

        Assert.True(intent.Observe([], Tip + 1, 1, Minutes(30)));

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(entitlement, intent.EntitlementId);
        Assert.Equal(0, intent.ReceivedSats);
        Assert.Equal(Minutes(30), intent.LastAlertAt);
        var alert = Assert.Single(intent.Events());
        Assert.Equal((PaymentIntentEventKind.Alert, PaymentAlertReason.PaymentReverted, PaymentStatus.Succeeded),
            (alert.Kind, alert.Alert, alert.Status));
        var entry = intent.History[^1];
        Assert.Equal((PaymentStatus.Succeeded, PaymentStatus.Succeeded, PaymentAlertReason.PaymentReverted),
            (entry.From, entry.To, entry.Alert));

        Assert.False(intent.Observe([], Tip + 2, 1, Minutes(40)));
        Assert.Empty(intent.DomainEvents);
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_succeeded_payment_back_in_the_mempool_raises_an_alert()
    {
        var intent = InStatus(PaymentStatus.Succeeded);

        intent.Observe([Out(1, MonthlySats)], Tip, 1, Minutes(30));

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal(PaymentAlertReason.PaymentReverted, Assert.Single(intent.Events()).Alert);
    }

    [Fact]
    public void A_succeeded_payment_remined_deep_enough_raises_no_alert()
    {
        var intent = InStatus(PaymentStatus.Succeeded);

        // A reorg moved it one block later; at the new tip it still has its one confirmation.
        Assert.True(intent.Observe([Out(1, MonthlySats, Tip + 1)], Tip + 1, 1, Minutes(30)));

        Assert.Empty(intent.Events());
        Assert.Equal(Tip + 1, Assert.Single(intent.Payments).BlockHeight);
    }

    [Fact]
    public void Money_on_a_succeeded_or_canceled_intent_raises_an_alert()
    {
        var succeeded = InStatus(PaymentStatus.Succeeded);
        succeeded.See(Minutes(30), Out(1, MonthlySats, Tip), Out(2, MonthlySats));
        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.None), (succeeded.Status, succeeded.ExceptionStatus));
        Assert.Equal(2 * MonthlySats, succeeded.ReceivedSats);
        Assert.Equal(PaymentAlertReason.PaymentOnClosedIntent, Assert.Single(succeeded.Events()).Alert);

        var canceled = InStatus(PaymentStatus.Canceled);
        Assert.True(canceled.IsWatched(Minutes(60)));
        canceled.See(Minutes(60), Out(1, MonthlySats));
        Assert.Equal(PaymentStatus.Canceled, canceled.Status);
        Assert.Equal(PaymentAlertReason.PaymentOnClosedIntent, Assert.Single(canceled.Events()).Alert);
    }

    [Fact]
    public void A_late_payment_that_goes_away_raises_an_alert_and_stays_paid_late()
    {
        var intent = Intent();
        intent.See(Minutes(20), Out(1, MonthlySats));
        intent.TakeDomainEvents();

        intent.See(Minutes(30));

        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.PaidLate), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(PaymentAlertReason.PaymentReverted, Assert.Single(intent.Events()).Alert);
    }

    [Fact]
    public void Confirmations_are_tip_minus_height_plus_one()
    {
        var intent = Intent();
        intent.Observe([Out(1, MonthlySats, Tip - 4)], Tip, 6, Minutes(1));

        Assert.Equal(5, intent.Confirmations);
        Assert.Equal(5, Assert.Single(intent.Payments).ConfirmationsAt(Tip));
        Assert.Equal(PaymentStatus.Processing, intent.Status);

        intent.Observe([Out(1, MonthlySats, Tip - 4)], Tip + 1, 6, Minutes(11));
        Assert.Equal((PaymentStatus.Succeeded, 6), (intent.Status, intent.Confirmations));
    }

    [Fact]
    public void Payment_rows_are_unique_per_txid_and_vout()
    {
        var intent = Intent();

        intent.See(Minutes(1), Out(1, 3_000, vout: 0), Out(1, 3_000, vout: 1), new ObservedOutput(Tx(0xabc).ToUpperInvariant(), 0, 1_000, null));
        intent.See(Minutes(2), Out(1, 3_000, vout: 0), Out(1, 3_000, vout: 1), Out(0xabc, 1_000));

        Assert.Equal(3, intent.Payments.Count);
        Assert.Equal(Tx(0xabc), intent.Payments[2].Txid);
        Assert.Equal(Minutes(1), intent.Payments[2].FirstSeenAt);
        Assert.Equal(7_000, intent.ReceivedSats);
    }

    [Fact]
    public void An_inconsistent_view_is_refused_and_changes_nothing()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));
        var version = intent.Version;

        Assert.Throws<ArgumentException>(() => intent.See(Minutes(2), Out(1, 4_001))); // an output's value never changes
        Assert.Throws<ArgumentException>(() => intent.See(Minutes(2), Out(2, 1), Out(2, 1))); // listed twice
        Assert.Throws<ArgumentException>(() => intent.See(Minutes(2), Out(2, 1, Tip + 1))); // above the tip
        Assert.Throws<ArgumentException>(() => intent.See(Minutes(2), Out(2, 0))); // no value
        Assert.Throws<ArgumentException>(() => intent.See(Minutes(2), new ObservedOutput("xyz", 0, 1, null)));
        Assert.Throws<ArgumentOutOfRangeException>(() => intent.Observe([], Tip, 0, Minutes(2)));

        Assert.Equal(version, intent.Version);
        Assert.Equal(4_000, intent.ReceivedSats);
    }

    [Fact]
    public void A_partial_payment_that_goes_away_leaves_requires_payment_replaced()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));
        intent.TakeDomainEvents();

        intent.See(Minutes(2));

        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.Replaced), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(PaymentIntentEventKind.PaymentReverted, Assert.Single(intent.Events()).Kind);
    }
}
