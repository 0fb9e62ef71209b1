"""What the channels and the bot say, in Russian or English.

Every function takes the language to write in and switches to it, so the same
event becomes the Russian channel's post and the English one's. Times are in
Moscow time, named (exitwatch.lib.formatting), as on the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django_countries.fields import Country

from alerts.models import Event
from exitwatch.lib.formatting import format_moment, format_wait
from routes.models import WAIT_MODES, BorderCrossing, SourceKind, Status

# Telegram's limit on one message's text, in characters.
MESSAGE_LIMIT = 4096
ICONS = {
    Status.OPEN: "🟢",
    Status.RESTRICTED: "🟡",
    Status.CLOSED: "🔴",
    Status.UNKNOWN: "⚪",
}


def crossing_url(slug: str) -> str:
    """The crossing's public page, absolute (SITE_URL)."""
    return settings.SITE_URL + reverse("crossing-detail", args=[slug])


def _status_word(status: str) -> str:
    try:
        return str(Status(status).label).lower()
    except ValueError:
        return status


def country_name(code: str) -> str:
    return str(Country(code).name or code)


def _crossing_name(crossing: BorderCrossing, language: str) -> str:
    return (crossing.name_ru if language == "ru" else "") or crossing.name_en


def _source(source: dict[str, str]) -> str:
    if source.get("url"):
        return source["url"]
    try:
        return str(SourceKind(source.get("kind", "")).label)
    except ValueError:
        return "—"


def change_text(event: Event, language: str) -> str:
    """A status_change event as one post: what changed, since when, who says so,
    and the crossing's page."""
    crossing = event.crossing
    status = event.payload.get("status", {})
    with translation.override(language):
        line = _(
            "%(icon)s %(crossing)s (%(country)s): %(old)s → %(new)s, since "
            "%(moment)s; source: %(source)s"
        ) % {
            "icon": ICONS.get(status.get("new"), "⚪"),
            "crossing": _crossing_name(crossing, language),
            "country": country_name(crossing.country.code),
            "old": _status_word(status.get("old", "")),
            "new": _status_word(status.get("new", "")),
            "moment": format_moment(event.occurred_at),
            "source": _source(event.payload.get("source", {})),
        }
    return f"{line}\n{crossing_url(crossing.slug)}"


def _age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return _("no sourced claim")
    return _("%(moment)s, %(age)s ago") % {
        "moment": format_moment(moment),
        "age": timesince(moment, now, depth=1),
    }


def crossing_status_text(crossing: BorderCrossing, language: str, now: datetime) -> str:
    """/status for one crossing: each side, the waits, the figures' age, the page."""
    with translation.override(language):
        lines = [
            "{} {} ({}): {}".format(
                ICONS.get(crossing.status, "⚪"),
                _crossing_name(crossing, language),
                country_name(crossing.country.code),
                _status_word(crossing.status),
            ),
            _("Russian side: %(status)s (%(age)s)")
            % {
                "status": _status_word(crossing.ru_status),
                "age": _age(crossing.ru_observed_at, now),
            },
            _("Other side: %(status)s (%(age)s)")
            % {
                "status": _status_word(crossing.neighbour_status),
                "age": _age(crossing.neighbour_observed_at, now),
            },
        ]
        waits = [
            f"{_mode(mode)} {format_wait(minutes)}"
            for mode in WAIT_MODES
            if (minutes := crossing.waits.get(mode)) is not None
        ]
        if waits:
            lines.append(
                _("Waits: %(waits)s (%(age)s)")
                % {
                    "waits": ", ".join(waits),
                    "age": _age(crossing.last_observed_at, now),
                }
            )
        else:
            lines.append(_("Waits: no figure"))
    lines.append(crossing_url(crossing.slug))
    return "\n".join(lines)


def _mode(mode: str) -> str:
    return {
        "car": _("cars"),
        "bus": _("buses"),
        "truck": _("trucks"),
        "pedestrian": _("on foot"),
    }[mode]


def country_status_text(
    code: str, crossings: Iterable[BorderCrossing], language: str, now: datetime
) -> str:
    """/status for a country: one line per crossing, with its status's age."""
    with translation.override(language):
        lines = [_("Crossings to %(country)s:") % {"country": country_name(code)}]
        for crossing in crossings:
            lines.append(
                "{} {}: {} ({}) {}".format(
                    ICONS.get(crossing.status, "⚪"),
                    _crossing_name(crossing, language),
                    _status_word(crossing.status),
                    _age(crossing.status_observed_at, now),
                    crossing_url(crossing.slug),
                )
            )
    return "\n".join(lines)


def say(language: str, message: str, **values: object) -> str:
    """One of the bot's short answers (MESSAGES), in `language`."""
    with translation.override(language):
        return str(MESSAGES[message]()) % values


MESSAGES = {
    "help": lambda: _(
        "ExitWatch shows which border crossings out of Russia are open.\n"
        "/status <crossing or country>: the current status, waits and their age\n"
        "/follow <crossing or country>: a message when its status changes\n"
        "/unfollow <crossing or country>, or /unfollow all\n"
        "/stop: forget this chat and everything it follows\n"
        "This bot keeps only this chat's id and what it follows, and no message "
        "text: %(privacy)s"
    ),
    "not_found": lambda: _("Nothing called “%(query)s” was found."),
    "suggest": lambda: _("Did you mean: %(suggestions)s?"),
    "ask": lambda: _("Name a crossing or a country, e.g. /status %(example)s"),
    "followed": lambda: _(
        "You will get a message when %(what)s changes status. /unfollow to stop."
    ),
    "follows_full": lambda: _("A chat may follow at most %(max)d things."),
    "unfollowed": lambda: _("You no longer follow %(what)s."),
    "unfollowed_all": lambda: _("You follow nothing now."),
    "not_following": lambda: _("You did not follow %(what)s."),
    "stopped": lambda: _(
        "Done: this chat and everything it followed are deleted. /start to begin again."
    ),
    "unknown_command": lambda: _("Unknown command. /start shows what I can do."),
}


def privacy_url() -> str:
    return settings.SITE_URL + reverse("reports:privacy") + "#telegram"


def messages_from(texts: list[str]) -> list[list[int]]:
    """Which texts go together in each message: consecutive texts joined by a
    blank line up to MESSAGE_LIMIT characters (indexes into `texts`). A text
    longer than the limit on its own is a message of its own (cut by the
    sender)."""
    groups: list[list[int]] = []
    size = 0
    for index, text in enumerate(texts):
        added = len(text) + (2 if groups and groups[-1] else 0)
        if groups and size + added <= MESSAGE_LIMIT:
            groups[-1].append(index)
            size += added
        else:
            groups.append([index])
            size = len(text)
    return groups
