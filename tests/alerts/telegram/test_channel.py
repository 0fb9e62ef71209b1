"""Status changes become posts in the channels: Russian to the Russian channel,
English to the English one, written with the event, sent once committed; a
burst is one message; posts written while the broker was down go out later."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from alerts.telegram.models import ChannelPost, PostKind, PostState
from alerts.telegram.sender import posts_send_due
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox

SOURCE = "https://t.me/exitwatch_border/101"
# 11:05 UTC is 14:05 in Moscow; yesterday, so that it is news (recorded within
# 48 hours of happening) and never in the future.
OBSERVED = (datetime.now(UTC) - timedelta(days=1)).replace(
    hour=11, minute=5, second=0, microsecond=0
)


def record(crossing, status, observed_at):
    with transaction.atomic():
        return crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status=status,
            source_url=SOURCE,
            observed_at=observed_at,
        )


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_each_channel_in_its_language(
    crossing, telegram, settings, eager_celery
):
    settings.TELEGRAM_BOT_TOKEN = ""  # the crossing opens before the bot exists
    record(crossing, "open", OBSERVED - timedelta(hours=2))
    run_outbox()
    assert ChannelPost.objects.count() == 0

    settings.TELEGRAM_BOT_TOKEN = "123456:TEST-token"
    record(crossing, "closed", OBSERVED)
    run_outbox()

    [ru] = telegram.sent("@exitwatch_ru")
    [en] = telegram.sent("@exitwatch_en")
    assert ru["text"].startswith("🔴 Верхний Ларс (Грузия): открыт → закрыт")
    assert "14:05 МСК" in ru["text"]
    assert en["text"].startswith("🔴 Upper Lars (Georgia): open → closed, since")
    assert "14:05 MSK" in en["text"]
    for message in (ru, en):
        assert SOURCE in message["text"]
        assert message["text"].endswith(
            "https://exitwatch.example/crossings/upper-lars/"
        )
    assert {c.token for c in telegram.calls} == {"123456:TEST-token"}
    assert set(ChannelPost.objects.values_list("state", flat=True)) == {PostState.SENT}


@pytest.mark.django_db
def test_a_burst_of_five_changes_is_one_message_per_channel(crossing, telegram):
    for minute, status in enumerate(["closed", "open", "closed", "open", "closed"]):
        record(crossing, status, OBSERVED + timedelta(minutes=minute))
    run_outbox()
    assert ChannelPost.objects.filter(kind=PostKind.CHANNEL).count() == 10

    outcomes = posts_send_due(now=timezone.now())

    assert outcomes == {"sent": 2}
    [ru] = telegram.sent("@exitwatch_ru")
    [en] = telegram.sent("@exitwatch_en")
    assert ru["text"].count("Верхний Ларс") == 5
    assert en["text"].count("Upper Lars") == 5
    assert en["text"].index("unknown → closed") < en["text"].index("open → closed")
    assert ChannelPost.objects.values("message_id").distinct().count() == 2


@pytest.mark.django_db
def test_posts_written_while_the_broker_was_down_go_out_with_the_command(
    crossing, telegram
):
    # In a test transaction nothing is sent on commit: as if Redis were down.
    record(crossing, "closed", OBSERVED)
    run_outbox()
    assert telegram.sent() == []

    call_command("send_telegram_posts")

    assert len(telegram.sent()) == 2
    call_command("send_telegram_posts")
    assert len(telegram.sent()) == 2  # nothing twice


@pytest.mark.django_db
def test_without_a_token_nothing_is_written_or_sent(crossing, telegram, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    record(crossing, "closed", OBSERVED)
    run_outbox()
    assert ChannelPost.objects.count() == 0
    assert posts_send_due() == {}
    assert telegram.calls == []


@pytest.mark.django_db
def test_an_event_task_run_twice_writes_each_post_once(crossing, telegram):
    record(crossing, "closed", OBSERVED)
    run_outbox()
    run_outbox(again=True)
    assert ChannelPost.objects.count() == 2


def test_history_filled_in_is_posted_nowhere(telegram, crossing):
    from datetime import timedelta

    from django.utils import timezone

    from alerts.telegram.models import ChannelPost
    from routes.services import crossing_update_record
    from tests.alerts.conftest import run_outbox

    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="closed",
        source_url="https://example.org/archive",
        observed_at=timezone.now() - timedelta(days=30),
    )
    run_outbox()
    assert ChannelPost.objects.count() == 0
