"""Fixtures for the events and webhooks tests."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts import targets
from alerts.models import Subscription
from alerts.services import subscription_create
from tests.factories import UserFactory

PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture
def partner(db):
    """Ana, a partner allowed to register webhooks."""
    user = UserFactory(username="ana", email="ana@partner.example")
    user.groups.add(Group.objects.get(name="Webhook partners"))
    return user


@pytest.fixture
def partner_api(partner) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=partner)}")
    return client


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Names the tests make up, resolved as the test says: {name: [addresses]}.
    Any other name resolves as usual (Redis and PostgreSQL on loopback)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (a, port),
                )
                for a in answers[host]
            ]
        if host.endswith((".example", ".test")):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(targets, "getaddrinfo", getaddrinfo)
    answers["hooks.partner.example"] = [PUBLIC_ADDRESS]
    return answers


@pytest.fixture
def local_webhooks(settings):
    """Deliveries to plain http on loopback, as only tests and development allow."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def subscribe(partner) -> Callable[..., Subscription]:
    def make(url: str, **filters: object) -> Subscription:
        return subscription_create(owner=partner, target_url=url, **filters)

    return make


def run_outbox(*, again: bool = False) -> int:
    """Run the alerts tasks the outbox holds, here and now, as a worker would
    once the outbox sent them; with `again`, those already run too (the outbox
    sending a message a second time). How many ran."""
    from django.utils import timezone

    from exitwatch.celery import app
    from outbox.models import OutboxMessage

    app.loader.import_default_modules()
    messages = OutboxMessage.objects.filter(task__startswith="alerts.tasks.")
    if not again:
        messages = messages.filter(sent_at__isnull=True)
    ran = 0
    for message in messages.order_by("id"):
        app.tasks[message.task].apply(args=message.args, kwargs=message.kwargs).get()
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
        ran += 1
    return ran
