using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using static Daxdi.Tests.Payments.Domain.PaymentFixture;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>Every manual action from every status, and the monitor's transitions, on the domain object alone.</summary>
public sealed class PaymentIntentTransitionTests
{
    public static TheoryData<PaymentStatus, string, PaymentStatus?> ManualActions()
    {
        // null target: refused with payment_intent.invalid_transition.
        var data = new TheoryData<PaymentStatus, string, PaymentStatus?>
        {
            { PaymentStatus.RequiresPayment, "cancel", PaymentStatus.Canceled },
            { PaymentStatus.RequiresPayment, "settle", PaymentStatus.Succeeded },
            { PaymentStatus.RequiresPayment, "fail", PaymentStatus.Failed },
            { PaymentStatus.Processing, "cancel", null },
            { PaymentStatus.Processing, "settle", PaymentStatus.Succeeded },
            { PaymentStatus.Processing, "fail", PaymentStatus.Failed },
            { PaymentStatus.Succeeded, "cancel", null },
            { PaymentStatus.Succeeded, "settle", null },
            { PaymentStatus.Succeeded, "fail", null },
            { PaymentStatus.Expired, "cancel", null },
            { PaymentStatus.Expired, "settle", PaymentStatus.Succeeded },
            { PaymentStatus.Expired, "fail", PaymentStatus.Failed },
            { PaymentStatus.Canceled, "cancel", null },
            { PaymentStatus.Canceled, "settle", null },
            { PaymentStatus.Canceled, "fail", null },
            { PaymentStatus.Failed, "cancel", null },
            { PaymentStatus.Failed, "settle", null },
            { PaymentStatus.Failed, "fail", null },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(ManualActions))]
    public void Every_manual_action_is_allowed_or_refused_as_the_state_machine_says(PaymentStatus from, string action, PaymentStatus? expected)
    {
        var intent = InStatus(from);
        var version = intent.Version;
        var historyCount = intent.History.Count;
        var entitlement = intent.EntitlementId;

        var act = () => Act(intent, action);

        if (expected is { } target)
        {
            act();
            Assert.Equal(target, intent.Status);
            Assert.Equal(action == "cancel" ? PaymentExceptionStatus.None : PaymentExceptionStatus.Marked, intent.ExceptionStatus);
            Assert.True(intent.Version > version);
            var entry = intent.History[^1];
            Assert.Equal((from, target, Finance), (entry.From, entry.To, entry.Actor));
            var changed = Assert.Single(intent.Events());
            Assert.Equal(from, changed.PreviousStatus);
            Assert.Equal(target, changed.Status);
            AssertHistoryConsistent(intent);
        }
        else
        {
            var error = Assert.Throws<DomainException>(act);
            Assert.Equal("payment_intent.invalid_transition", error.Code);
            Assert.Equal(ErrorKind.Conflict, error.Kind);
            Assert.Equal(from, intent.Status);
            Assert.Equal(version, intent.Version);
            Assert.Equal(historyCount, intent.History.Count);
            Assert.Equal(entitlement, intent.EntitlementId);
            Assert.Empty(intent.DomainEvents);
        }
    }

    [Theory]
    [InlineData(PaymentStatus.RequiresPayment, PaymentStatus.Processing, true)]
    [InlineData(PaymentStatus.RequiresPayment, PaymentStatus.Expired, true)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.RequiresPayment, true)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.Expired, false)]
    [InlineData(PaymentStatus.Processing, PaymentStatus.Canceled, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Processing, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.RequiresPayment, false)]
    [InlineData(PaymentStatus.Succeeded, PaymentStatus.Failed, false)]
    [InlineData(PaymentStatus.Expired, PaymentStatus.Processing, false)]
    [InlineData(PaymentStatus.Expired, PaymentStatus.RequiresPayment, false)]
    [InlineData(PaymentStatus.Canceled, PaymentStatus.RequiresPayment, false)]
    [InlineData(PaymentStatus.Failed, PaymentStatus.Succeeded, false)]
    public void The_transition_table_never_leaves_a_final_status(PaymentStatus from, PaymentStatus to, bool allowed) =>
        Assert.Equal(allowed, PaymentTransitions.IsAllowed(from, to));

    [Fact]
    public void No_status_returns_from_succeeded_canceled_or_failed()
    {
        foreach (var from in new[] { PaymentStatus.Succeeded, PaymentStatus.Canceled, PaymentStatus.Failed })
        {
            Assert.All(Enum.GetValues<PaymentStatus>(), to => Assert.False(PaymentTransitions.IsAllowed(from, to)));
        }
    }

    [Fact]
    public void A_new_intent_requires_payment_and_records_its_creation()
    {
        var intent = PaymentIntent.Create(Offers().QuoteMembership("monthly"), Wallet(), Derive, Rate(), MaxRateAge, null, null,
            PaymentClientSecret.Hash(Secret), Now);

        Assert.Equal((PaymentStatus.RequiresPayment, PaymentExceptionStatus.None), (intent.Status, intent.ExceptionStatus));
        var created = Assert.Single(intent.History);
        Assert.Equal((null, PaymentStatus.RequiresPayment, PaymentIntent.ClientActor, Now), (created.From, created.To, created.Actor, created.At));
        var changed = Assert.Single(intent.Events());
        Assert.Equal(PaymentIntentEventKind.Created, changed.Kind);
    }

    [Fact]
    public void Full_payment_before_expiry_is_processing_then_succeeded_with_enough_confirmations()
    {
        var intent = Intent();

        Assert.True(intent.Observe([Out(1, MonthlySats)], Tip, 2, Minutes(1)));
        Assert.Equal(PaymentStatus.Processing, intent.Status);
        Assert.Equal(0, intent.Confirmations);

        Assert.True(intent.Observe([Out(1, MonthlySats, Tip + 1)], Tip + 1, 2, Minutes(11)));
        Assert.Equal(PaymentStatus.Processing, intent.Status);
        Assert.Equal(1, intent.Confirmations);

        Assert.True(intent.Observe([Out(1, MonthlySats, Tip + 1)], Tip + 2, 2, Minutes(21)));
        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.None), (intent.Status, intent.ExceptionStatus));
        Assert.Equal(2, intent.Confirmations);
        Assert.Equal(Minutes(21), intent.CompletedAt);
        Assert.Equal([PaymentIntentEventKind.Processing, PaymentIntentEventKind.Succeeded], intent.Events().Select(e => e.Kind));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_payment_first_seen_confirmed_takes_both_steps_in_one_observation()
    {
        var intent = Intent();

        intent.See(Minutes(1), Out(1, MonthlySats, Tip));

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal([PaymentStatus.RequiresPayment, PaymentStatus.Processing, PaymentStatus.Succeeded], intent.History.Select(h => h.To));
        Assert.All(intent.History.Skip(1), h => Assert.Equal(PaymentIntent.MonitorActor, h.Actor));
        var events = intent.Events();
        Assert.Equal([PaymentIntentEventKind.Processing, PaymentIntentEventKind.Succeeded], events.Select(e => e.Kind));
        Assert.True(events[1].Version > events[0].Version);
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void A_processing_intent_does_not_expire()
    {
        var intent = InStatus(PaymentStatus.Processing);

        Assert.False(intent.ExpireIfDue(Minutes(60)));
        Assert.True(intent.See(Minutes(60), Out(1, MonthlySats, Tip)));

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
    }

    [Fact]
    public void Expiry_without_payment_expires_by_the_job_or_by_an_observation()
    {
        var byJob = Intent();
        Assert.False(byJob.ExpireIfDue(Minutes(14.9)));
        Assert.True(byJob.ExpireIfDue(Minutes(15)));
        Assert.False(byJob.ExpireIfDue(Minutes(16)));
        Assert.Equal((PaymentStatus.Expired, PaymentExceptionStatus.None), (byJob.Status, byJob.ExceptionStatus));
        Assert.Equal(PaymentIntentEventKind.Expired, Assert.Single(byJob.Events()).Kind);

        var byMonitor = Intent();
        Assert.True(byMonitor.See(Minutes(20)));
        Assert.Equal(PaymentStatus.Expired, byMonitor.Status);
        AssertHistoryConsistent(byMonitor);
    }

    [Fact]
    public void Observing_the_same_view_again_changes_nothing()
    {
        var intent = InStatus(PaymentStatus.Processing);
        var version = intent.Version;

        Assert.False(intent.See(Minutes(2), Out(1, MonthlySats)));
        Assert.False(intent.See(Minutes(3), Out(1, MonthlySats)));

        Assert.Equal(version, intent.Version);
        Assert.Empty(intent.DomainEvents);
    }

    [Fact]
    public void Cancel_is_refused_once_something_was_received()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));
        var version = intent.Version;

        var error = Assert.Throws<DomainException>(() => intent.Cancel(Finance, "customer asked", Minutes(2)));

        Assert.Equal("payment_intent.payment_received", error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal((PaymentStatus.RequiresPayment, version), (intent.Status, intent.Version));
    }

    [Fact]
    public void Cancel_is_allowed_when_the_only_payment_seen_went_away()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));
        intent.See(Minutes(2));
        Assert.Equal(PaymentExceptionStatus.Replaced, intent.ExceptionStatus);

        intent.Cancel(Finance, null, Minutes(3));

        Assert.Equal((PaymentStatus.Canceled, PaymentExceptionStatus.Replaced), (intent.Status, intent.ExceptionStatus));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void Marking_needs_a_reason()
    {
        var intent = InStatus(PaymentStatus.Expired);

        foreach (var reason in new[] { "", "  ", new string('x', PaymentRules.ReasonMaxLength + 1) })
        {
            var error = Assert.Throws<DomainException>(() => intent.MarkSettled(Finance, reason, Minutes(30)));
            Assert.Equal("payment_intent.reason_required", error.Code);
            Assert.Throws<DomainException>(() => intent.MarkFailed(Finance, reason, Minutes(30)));
        }

        Assert.Equal(PaymentStatus.Expired, intent.Status);
    }

    [Fact]
    public void Mark_settled_succeeds_with_exception_marked_grants_the_entitlement_and_audits_the_actor()
    {
        var intent = Intent();
        intent.See(Minutes(20), Out(1, MonthlySats)); // paid late
        intent.TakeDomainEvents();

        intent.MarkSettled(Finance, "late payment accepted, ticket 1234", Minutes(30));

        Assert.Equal((PaymentStatus.Succeeded, PaymentExceptionStatus.Marked), (intent.Status, intent.ExceptionStatus));
        var entry = intent.History[^1];
        Assert.Equal((PaymentStatus.Expired, PaymentStatus.Succeeded, Finance, "late payment accepted, ticket 1234", Minutes(30)),
            (entry.From, entry.To, entry.Actor, entry.Reason, entry.At));
        var entitlement = Assert.IsType<Entitlement>(intent.NewEntitlement);
        Assert.Equal(intent.EntitlementId, entitlement.Id);
        Assert.Equal(Minutes(30), entitlement.ValidFrom);
        var changed = Assert.Single(intent.Events());
        Assert.Equal((PaymentIntentEventKind.Succeeded, entitlement.Id), (changed.Kind, changed.EntitlementId));
        AssertHistoryConsistent(intent);
    }

    [Fact]
    public void Mark_failed_fails_with_exception_marked_and_grants_nothing()
    {
        var intent = InStatus(PaymentStatus.Processing);

        intent.MarkFailed(Finance, "double spend reported by the wallet", Minutes(5));

        Assert.Equal((PaymentStatus.Failed, PaymentExceptionStatus.Marked), (intent.Status, intent.ExceptionStatus));
        Assert.Null(intent.EntitlementId);
        Assert.Equal("double spend reported by the wallet", intent.History[^1].Reason);
        Assert.Equal(Finance, intent.History[^1].Actor);
    }

    private static void Act(PaymentIntent intent, string action)
    {
        switch (action)
        {
            case "cancel":
                intent.Cancel(Finance, "customer asked", Minutes(30));
                break;
            case "settle":
                intent.MarkSettled(Finance, "paid by bank transfer", Minutes(30));
                break;
            case "fail":
                intent.MarkFailed(Finance, "fraud", Minutes(30));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }
}
