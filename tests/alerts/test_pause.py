"""A subscription failing for three days is paused, its owner told once, and
the pause shows in the API and the admin, where staff can resume it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts.delivery import delivery_attempt
from alerts.models import Delivery, DeliveryState, PauseReason, Subscription
from alerts.services import subscription_resume, subscriptions_pause_failing
from outbox.models import OutboxMessage
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox

pytestmark = pytest.mark.django_db


def change(crossing, status):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status=status,
        source_url="https://t.me/exitwatch_border/101",
    )
    run_outbox()


@pytest.fixture
def failing(crossing, local_webhooks, receiver, subscribe):
    """Ana's endpoint has answered 500 since `start`."""
    subscription = subscribe(receiver.url())
    receiver.answer(*[500] * 100)
    change(crossing, "closed")
    start = timezone.now()
    assert delivery_attempt(delivery_id=Delivery.objects.get().pk, now=start) == "retry"
    subscription.refresh_from_db()
    assert subscription.failing_since == start
    return subscription


def test_failing_for_three_days_pauses_the_subscription(failing):
    start = failing.failing_since
    assert subscriptions_pause_failing(now=start + timedelta(days=2, hours=23)) == 0
    assert not Subscription.objects.get().paused
    assert subscriptions_pause_failing(now=start + timedelta(days=3)) == 1
    paused = Subscription.objects.get()
    assert paused.paused_at == start + timedelta(days=3)
    assert paused.pause_reason == PauseReason.FAILING
    assert subscriptions_pause_failing(now=start + timedelta(days=4)) == 0


def test_the_owner_is_told_by_email_through_the_outbox_once(failing):
    OutboxMessage.objects.all().delete()
    subscriptions_pause_failing(now=failing.failing_since + timedelta(days=3))
    [notice] = OutboxMessage.objects.all()
    assert notice.kwargs == {"subscription_id": failing.pk}
    run_outbox()
    run_outbox(again=True)
    [message] = mail.outbox
    assert message.to == ["ana@partner.example"]
    assert "paused" in message.subject
    assert failing.target_url in message.body
    assert str(failing.public_id) in message.body
    assert Subscription.objects.get().owner_notified_at is not None


def test_an_owner_without_an_email_is_not_written_to(failing, partner):
    partner.email = ""
    partner.save()
    OutboxMessage.objects.all().delete()
    subscriptions_pause_failing(now=failing.failing_since + timedelta(days=3))
    assert not OutboxMessage.objects.exists()


def test_one_success_clears_the_failure_and_nothing_is_paused(failing, receiver):
    receiver.statuses.clear()
    delivery = Delivery.objects.get()
    outcome = delivery_attempt(
        delivery_id=delivery.pk, now=Delivery.objects.get().next_attempt_at
    )
    assert outcome == "delivered"
    assert Subscription.objects.get().failing_since is None
    assert subscriptions_pause_failing(now=timezone.now() + timedelta(days=5)) == 0


def test_a_paused_subscription_resumes_from_a_clean_slate(failing, crossing):
    subscriptions_pause_failing(now=failing.failing_since + timedelta(days=3))
    change(crossing, "open")  # while paused: no delivery is made for it
    assert Delivery.objects.count() == 1
    now = timezone.now()
    subscription_resume(subscription=Subscription.objects.get(), now=now)
    resumed = Subscription.objects.get()
    assert not resumed.paused and resumed.failing_since is None
    assert Delivery.objects.get().next_attempt_at == now


def test_the_pause_shows_in_the_api(failing, partner_api):
    subscriptions_pause_failing(now=failing.failing_since + timedelta(days=3))
    shown = partner_api.get(f"/api/v1/subscriptions/{failing.public_id}/").json()
    assert shown["paused"] is True
    assert shown["pause_reason"] == "failing"
    assert shown["failing_since"] is not None


def test_staff_resume_a_subscription_from_the_admin(failing, client, superuser):
    subscriptions_pause_failing(now=failing.failing_since + timedelta(days=3))
    client.force_login(superuser)
    listing = client.get("/admin/alerts/subscription/")
    assert listing.status_code == 200
    assert failing.target_url in listing.content.decode()
    response = client.post(
        "/admin/alerts/subscription/",
        {"action": "resume", "_selected_action": [failing.pk]},
    )
    assert response.status_code == 302
    assert not Subscription.objects.get().paused
    log = client.get(f"/admin/alerts/delivery/?subscription__id__exact={failing.pk}")
    assert log.status_code == 200
    assert "HTTP 500" in log.content.decode()


def test_the_commands_pause_and_send_what_is_due(failing, receiver):
    call_command("pause_failing_webhooks")  # three days have not passed
    assert not Subscription.objects.get().paused
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    receiver.statuses.clear()
    call_command("send_due_webhooks")
    assert Delivery.objects.get().state == DeliveryState.DELIVERED
    assert len(receiver.received) == 2
