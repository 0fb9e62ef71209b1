import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.alerts.receiver import Receiver
from tests.factories import CrossingFactory, EditorFactory, StaffFactory
from tests.support.botserver import BotServer


@pytest.fixture(autouse=True)
def _clear_cache():
    # Tests may share a real Redis: start each one from an empty cache namespace.
    cache.clear()
    yield


@pytest.fixture
def crossing(db):
    return CrossingFactory(
        slug="upper-lars", name_en="Upper Lars", name_ru="Верхний Ларс"
    )


@pytest.fixture
def editor(db):
    return EditorFactory(username="nino")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor_api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor)}")
    return client


@pytest.fixture
def superuser(db):
    return StaffFactory(username="boss", is_superuser=True)


def pytest_configure(config):
    # Every user a test creates or logs in hashes a password, and PBKDF2's million
    # iterations cost about half a second each time; the tests check who may log
    # in, not the hash. Subprocesses the tests start never hash a password.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # SQLite's test database is in memory, one per process, as Django makes it by
    # default; said outright because pytest-django knows SQLite only by Django's
    # own engine name, and would name each xdist worker's test database after our
    # backend's file path instead.
    from django.db import connections

    if connections["default"].vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"

    # CI must exercise the real services; never let it fall back to SQLite quietly.
    if os.environ.get("EXITWATCH_REQUIRE_SERVICES") == "1":
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            raise pytest.UsageError(
                "EXITWATCH_REQUIRE_SERVICES=1 needs a PostgreSQL DATABASE_URL"
            )
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("EXITWATCH_REQUIRE_SERVICES=1 needs REDIS_URL")


def pytest_collection_modifyitems(items):
    for item in items:
        # schemathesis (4.32) names its item for each API operation, but pytest 9
        # derives the id from the function and its parameters only: all would
        # share one id, and xdist, which tracks tests by id, would run one.
        label = getattr(item, "operation_label", None)
        if label and item.id.params is None:
            item._id = item.id.with_params(label)
        # A transactional test ends by emptying every table, the rows that data
        # migrations made (the editors group, the advisory sources) included.
        # Restore them for every such test; mixing tests that do with tests that
        # don't makes the restore collide with content types the flush recreated.
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        fixtures = set(getattr(item, "fixturenames", ()))
        if kwargs.get("transaction") or fixtures & {"transactional_db", "live_server"}:
            kwargs.update(transaction=True, serialized_rollback=True)
            # First, so it is the closest marker even when the test's own
            # decorator already put one on the function.
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# ---------------------------------------------------------------------------
# Background refresh (advisory feeds, flight providers, Celery)
# ---------------------------------------------------------------------------


@pytest.fixture
def feed_server():
    """A local HTTP server (127.0.0.1, tests.support.feedserver's ports) standing in
    for feeds."""
    from tests.support.feedserver import FeedServer

    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when REDIS_URL points the app at a real broker."""
    from exitwatch.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


# --- Public pages --------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _english_by_default():
    # A request in Russian leaves Russian active in the test's thread (Django's
    # LocaleMiddleware activates a language per request and never resets it), and
    # messages then come out translated: start every test in the default language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on loopback that records what it is sent."""
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def bot_api() -> Iterator[BotServer]:
    """A stand-in for Telegram's Bot API on loopback."""
    server = BotServer()
    yield server
    server.close()
