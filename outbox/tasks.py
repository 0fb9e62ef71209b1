"""The periodic drain: sends whatever the outbox holds once the broker is back."""

from celery import shared_task

from outbox.services import outbox_drain


@shared_task(name="outbox.drain", ignore_result=True)
def outbox_drain_task() -> int:
    return outbox_drain()
