"""Writes for webhook subscriptions: register, delete, pause, resume, tell the owner.

Events and what they make are alerts.events; sending a delivery is
alerts.delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from alerts.models import (
    Delivery,
    DeliveryState,
    EventKind,
    PauseReason,
    Subscription,
)
from alerts.selectors import subscriptions_of
from alerts.signing import secret_new
from alerts.targets import TargetError, target_check
from outbox.services import outbox_enqueue
from routes.entry.models import NON_ISO_DESTINATIONS
from routes.models import MAX_WAIT_MINUTES, WAIT_MODES, BorderCrossing

log = logging.getLogger(__name__)

# Enough for a partner's staging and production endpoints per kind of use.
MAX_SUBSCRIPTIONS_PER_ACCOUNT = 20
# Below an hour the "back under" line (alerts.events.wait_margin) would be at or
# below zero minutes.
MIN_WAIT_THRESHOLD = 60
MAX_FILTER_ITEMS = 100
NOTIFY_TASK = "alerts.tasks.notify_subscription_paused"


def subscription_problems(
    *,
    owner: AbstractBaseUser,
    target_url: str,
    crossings: list[str],
    countries: list[str],
    kinds: list[str],
    wait_threshold_minutes: Mapping[str, Any],
) -> dict[str, list[str]]:
    """What is wrong with a registration, by field (empty: nothing).

    Resolves the target's host (the SSRF rules, alerts.targets): call it
    outside any transaction."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        target_check(
            target_url,
            allow_http=settings.WEBHOOK_ALLOW_HTTP,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
        )
    except TargetError as exc:
        add("target_url", str(exc))
    for field, items in (("crossings", crossings), ("countries", countries)):
        if len(items) > MAX_FILTER_ITEMS:
            add(field, _("At most %(max)d items.") % {"max": MAX_FILTER_ITEMS})
    known = set(
        BorderCrossing.objects.filter(slug__in=crossings).values_list("slug", flat=True)
    )
    for slug in sorted(set(crossings) - known):
        add("crossings", _("Unknown crossing %(slug)r.") % {"slug": slug})
    for code in countries:
        if code not in iso_countries and code not in NON_ISO_DESTINATIONS:
            add("countries", _("Unknown country code %(code)r.") % {"code": code})
    for kind in kinds:
        if kind not in EventKind.values:
            add("kinds", _("Unknown kind of event %(kind)r.") % {"kind": kind})
    for mode, minutes in wait_threshold_minutes.items():
        if mode not in WAIT_MODES:
            add(
                "wait_threshold_minutes",
                _("Unknown mode %(mode)r; use one of: %(modes)s.")
                % {"mode": mode, "modes": ", ".join(WAIT_MODES)},
            )
        elif (
            not isinstance(minutes, int)
            or isinstance(minutes, bool)
            or not MIN_WAIT_THRESHOLD <= minutes <= MAX_WAIT_MINUTES
        ):
            add(
                "wait_threshold_minutes",
                _("A threshold is a whole number of minutes from %(min)d to %(max)d.")
                % {"min": MIN_WAIT_THRESHOLD, "max": MAX_WAIT_MINUTES},
            )
    if wait_threshold_minutes and kinds and EventKind.WAIT_THRESHOLD not in kinds:
        add(
            "wait_threshold_minutes",
            _("Thresholds need the wait_threshold kind among the kinds asked for."),
        )
    if subscriptions_of(owner).count() >= MAX_SUBSCRIPTIONS_PER_ACCOUNT:
        add(
            "non_field_errors",
            _("An account may have at most %(max)d subscriptions; delete one first.")
            % {"max": MAX_SUBSCRIPTIONS_PER_ACCOUNT},
        )
    return errors


def _unique(items: Iterable[str], *, upper: bool = False) -> list[str]:
    return list(dict.fromkeys(i.strip().upper() if upper else i.strip() for i in items))


def subscription_create(
    *,
    owner: AbstractBaseUser,
    target_url: str,
    crossings: Iterable[str] = (),
    countries: Iterable[str] = (),
    kinds: Iterable[str] = (),
    wait_threshold_minutes: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Register a webhook endpoint for `owner` with a fresh signing secret.

    Raises ValidationError (messages by field). The secret is on the returned
    row: show it to the owner now, it is never shown again.
    """
    values = {
        "target_url": target_url.strip(),
        "crossings": _unique(crossings),
        "countries": _unique(countries, upper=True),
        "kinds": _unique(kinds),
        "wait_threshold_minutes": dict(wait_threshold_minutes or {}),
    }
    errors = subscription_problems(owner=owner, **values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return Subscription.objects.create(
            owner=owner,
            secret=secret_new(),
            created_at=now or timezone.now(),
            **values,
        )


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Remove a subscription with its delivery log; its events stay."""
    subscription.delete()


@transaction.atomic
def subscription_pause(
    *, subscription: Subscription, reason: str, now: datetime | None = None
) -> bool:
    """Stop sending to a subscription; its owner is told by e-mail when the
    account has an address (through the outbox, so the notice survives a broker
    outage). False when it was paused already."""
    now = now or timezone.now()
    paused = Subscription.objects.filter(
        pk=subscription.pk, paused_at__isnull=True
    ).update(paused_at=now, pause_reason=reason, owner_notified_at=None)
    if not paused:
        return False
    subscription.paused_at, subscription.pause_reason = now, reason
    log.warning("webhook subscription %s paused: %s", subscription.public_id, reason)
    email = (
        Subscription.objects.filter(pk=subscription.pk)
        .values_list("owner__email", flat=True)
        .first()
    )
    if email:
        outbox_enqueue(task=NOTIFY_TASK, kwargs={"subscription_id": subscription.pk})
    return True


def subscriptions_pause_failing(*, now: datetime | None = None) -> int:
    """Pause every subscription with no successful delivery since its first
    failure WEBHOOK_PAUSE_AFTER_DAYS ago; how many were paused."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_PAUSE_AFTER_DAYS)
    failing = Subscription.objects.filter(
        paused_at__isnull=True, failing_since__lte=cutoff
    ).order_by("id")
    return sum(
        subscription_pause(subscription=s, reason=PauseReason.FAILING, now=now)
        for s in failing
    )


@transaction.atomic
def subscription_resume(
    *, subscription: Subscription, now: datetime | None = None
) -> None:
    """Send to a paused subscription again, from a clean slate: its pending
    deliveries are due now (those past WEBHOOK_GIVE_UP_HOURS will be dropped)."""
    now = now or timezone.now()
    values = {
        "paused_at": None,
        "pause_reason": PauseReason.NONE,
        "failing_since": None,
        "owner_notified_at": None,
    }
    Subscription.objects.filter(pk=subscription.pk).update(**values)
    for field, value in values.items():
        setattr(subscription, field, value)
    Delivery.objects.filter(
        subscription=subscription, state=DeliveryState.PENDING
    ).update(next_attempt_at=now, claimed_until=None)


def subscription_notify_paused(
    *, subscription_id: int, now: datetime | None = None
) -> bool:
    """E-mail the owner of a paused subscription, once per pause; whether sent.

    Raises what the mail backend raises (the task retries the transient
    ones). Not inside a transaction: the mark follows the e-mail."""
    subscription = (
        Subscription.objects.select_related("owner").filter(pk=subscription_id).first()
    )
    if (
        subscription is None
        or not subscription.paused
        or subscription.owner_notified_at is not None
        or not subscription.owner.email
    ):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        reasons = {
            PauseReason.FAILING: _(
                "its deliveries have failed for %(days)d days with no success"
            )
            % {"days": settings.WEBHOOK_PAUSE_AFTER_DAYS},
            PauseReason.GONE: _("it answered 410 Gone"),
        }
        subject = _("[ExitWatch] Your webhook is paused")
        body = "\n".join(
            [
                _("ExitWatch stopped sending webhooks to %(url)s: %(reason)s.")
                % {
                    "url": subscription.target_url,
                    "reason": reasons.get(subscription.pause_reason, "")
                    or subscription.pause_reason,
                },
                "",
                _("Subscription: %(id)s") % {"id": subscription.public_id},
                _("Its delivery log: GET /api/v1/subscriptions/%(id)s/deliveries/")
                % {"id": subscription.public_id},
                "",
                _(
                    "Once the endpoint works, register it again, or ask ExitWatch "
                    "staff to resume this subscription."
                ),
            ]
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.owner.email])
    Subscription.objects.filter(
        pk=subscription.pk, owner_notified_at__isnull=True
    ).update(owner_notified_at=now or timezone.now())
    return True
