"""Nothing that identifies a reporter is kept: reports are sent from a marker
address and user agent through every path (page, API, errors, 429s, CSRF
failures, moderation), then the whole database, every log record and every cache
entry are searched for the markers in the encodings a careless change would use."""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import logging
import pickle
import shutil
import subprocess
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from routes.reports.models import TravellerReport
from routes.reports.services import trusted_token_issue
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    ADMIN_QUEUE,
    form_data,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = pytest.mark.usefixtures("no_static_manifest")

MARKER_IP = "203.0.113.77"
MARKER_IP6 = "2001:db8:77:77::77"
MARKER_UA = "MarkerAgent/7.7 (privacy-probe-5e1f)"


def encodings(value: str) -> set[str]:
    """The marker as a careless change might keep it."""
    raw = value.encode()
    forms = {
        value,
        quote(value, safe=""),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        raw.hex(),
        hashlib.sha256(raw).hexdigest(),
        hashlib.sha1(raw).hexdigest(),
        hashlib.md5(raw).hexdigest(),
    }
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return forms
    forms |= {ip.packed.hex(), str(int(ip)), ip.exploded}
    if ip.version == 6:
        # The /64 a limit counts by identifies a subscriber as well as the address.
        net = ipaddress.IPv6Network((ip, 64), strict=False).network_address
        forms |= {str(net), net.exploded[:19], "2001:db8:77:77"}
    return forms


MARKERS = {
    form: origin
    for origin in (MARKER_IP, MARKER_IP6, MARKER_UA)
    for form in encodings(origin)
}


def found_in(text: str) -> list[str]:
    lowered = text.lower()
    return sorted(
        f"{form!r} (from {origin})"
        for form, origin in MARKERS.items()
        if form.lower() in lowered
    )


def send_everything(editor) -> None:
    """Every path a reporter's request can take, from the marker clients."""
    headers = {"REMOTE_ADDR": MARKER_IP, "HTTP_USER_AGENT": MARKER_UA}
    # The page: a report, a bad one, and a post without the CSRF cookie.
    browser = Client(enforce_csrf_checks=True, **headers)
    page = browser.get("/report/upper-lars/")
    csrf = page.cookies["csrftoken"].value
    token = page_form_token(page.content.decode())
    ok = browser.post(
        "/report/upper-lars/",
        {
            **form_data(note="Queue moving"),
            "form_token": token,
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert ok.status_code == 302
    bad = browser.post(
        "/report/upper-lars/",
        {**form_data(mode="boat"), "form_token": token, "csrfmiddlewaretoken": csrf},
    )
    assert bad.status_code == 400
    no_csrf = Client(enforce_csrf_checks=True, **headers)
    assert no_csrf.post("/report/upper-lars/", form_data()).status_code == 403

    # The API: a report, bad ones, a forged X-Forwarded-For, then the limit.
    app = Client(**headers)
    assert post_report(app, payload(wait_minutes=400)).status_code == 201
    assert post_report(app, payload(mode="boat")).status_code == 400
    assert post_report(app, payload(), token="forged").status_code == 400
    assert (
        post_report(app, payload(), HTTP_X_FORWARDED_FOR=MARKER_IP6).status_code == 429
    )
    assert post_report(app, payload()).status_code == 429
    # Someone on IPv6 with the same browser.
    phone = Client(REMOTE_ADDR=MARKER_IP6, HTTP_USER_AGENT=MARKER_UA)
    assert post_report(phone, payload(wait_minutes=420)).status_code == 201

    # A trusted volunteer on the same network publishes directly.
    _token, raw = trusted_token_issue(label="Lars volunteers")
    trusted = app.post(
        "/api/v1/reports/",
        payload(wait_minutes=380),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Reporter {raw}",
    )
    assert trusted.status_code == 201

    # Staff approve the rest; approval writes the crossing and its history.
    moderator = Client()
    moderator.force_login(editor)
    ids = list(TravellerReport.objects.pending().values_list("pk", flat=True))
    assert len(ids) == 3
    moderator.post(ADMIN_QUEUE, {"action": "approve", "_selected_action": ids})
    assert TravellerReport.objects.filter(state="approved").count() == 4
    # And the public reads.
    app.get("/api/v1/reports/?crossing=upper-lars")
    app.get("/api/v1/reports/crossings/upper-lars/")


def database_dump() -> str:
    """Every row of every table, by Django and by the database itself."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    parts = [out.getvalue()]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        parts.extend(connection.connection.iterdump())
    else:
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
                parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)


def _redis_values(client: redis.Redis, key: bytes) -> list[bytes]:
    # The cache holds strings; a Celery broker sharing the database holds
    # lists, sets and hashes (task messages, with their arguments).
    kind = client.type(key)
    if kind == b"string":
        return [client.get(key) or b""]
    if kind == b"list":
        return client.lrange(key, 0, -1)
    if kind == b"set":
        return list(client.smembers(key))
    if kind == b"hash":
        return [b for pair in client.hgetall(key).items() for b in pair]
    if kind == b"zset":
        return client.zrange(key, 0, -1)
    raise AssertionError(f"unexpected {kind!r} at {key!r}")


def cache_dump() -> tuple[str, list[str]]:
    """Every key and value in the cache (all of the Redis database), and the keys."""
    chunks, keys = [], []
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(count=1000):
            keys.append(key.decode())
            chunks.append(key.decode(errors="replace"))
            for value in _redis_values(client, key):
                chunks.append(value.decode("latin-1"))
                try:
                    chunks.append(repr(pickle.loads(value)))
                except Exception:  # raw integers and JSON are stored unpickled
                    pass
    else:
        for store in locmem._caches.values():
            for key, value in store.items():
                keys.append(key)
                chunks.extend([key, value.decode("latin-1"), repr(pickle.loads(value))])
    return "\n".join(chunks), keys


def log_dump(records: list[logging.LogRecord]) -> str:
    chunks = []
    for record in records:
        chunks.append(record.getMessage())
        chunks.append(record.exc_text or "")
        for name, value in vars(record).items():
            chunks.append(f"{name}={value!r}")
            # A request attached to a record is what handlers format (META
            # holds REMOTE_ADDR and HTTP_USER_AGENT): its repr would hide it.
            if hasattr(value, "META"):
                chunks.append(repr(value.META))
    return "\n".join(chunks)


@pytest.fixture
def all_loggers_at_debug(caplog):
    names = ["", *logging.root.manager.loggerDict]
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for name in names:
        logging.getLogger(name).removeHandler(caplog.handler)


@pytest.mark.django_db
def test_no_trace_of_the_reporter_in_database_logs_or_cache(
    crossing, editor, settings, all_loggers_at_debug
):
    settings.REPORT_CLIENT_LIMIT = 5  # the marker client's sixth attempt is refused
    caplog = all_loggers_at_debug
    with CaptureQueriesContext(connection) as queries:
        send_everything(editor)

    db = database_dump()
    logs = log_dump(caplog.records) + caplog.text
    sql = "\n".join(f"{q['sql']}" for q in queries.captured_queries)
    cached, keys = cache_dump()

    # The search looked at real material: reports, log lines, counters.
    assert "Queue moving" in db
    assert "Too Many Requests: /api/v1/reports/" in logs
    assert "Forbidden (CSRF cookie not set.): /report/upper-lars/" in logs
    assert "INSERT INTO" in sql
    assert any(":reports:rate:client:" in key for key in keys)

    assert found_in(db) == []
    assert found_in(sql) == []
    assert found_in(logs) == []
    assert found_in(cached) == []
    print(
        f"\nprivacy: {len(MARKERS)} marker forms; searched {len(db):,} chars of "
        f"database dump, {len(queries.captured_queries)} SQL statements, "
        f"{len(caplog.records)} log records, {len(keys)} cache keys: 0 hits"
    )


@pytest.mark.django_db
def test_rate_limit_entries_expire_within_their_window(crossing, settings):
    client = Client(REMOTE_ADDR=MARKER_IP)
    post_report(client, payload())
    if settings.REDIS_URL:
        r = redis.Redis.from_url(settings.REDIS_URL)
        ttls = {
            k.decode(): r.ttl(k)
            for pattern in ("*reports:*", "*client-key-salt:*")
            for k in r.scan_iter(pattern)
        }
    else:
        expiries = next(
            locmem._expire_info[name] for name in locmem._caches if name == "exitwatch"
        )
        import time

        ttls = {
            k: int(v - time.time())
            for k, v in expiries.items()
            if "reports:" in k or "client-key-salt:" in k
        }
    counters = {k: t for k, t in ttls.items() if ":reports:rate:" in k}
    assert counters, ttls
    for key, ttl in counters.items():
        window = int(key.split(":")[-2])
        assert 0 < ttl <= window, (key, ttl)
    salts = {k: t for k, t in ttls.items() if ":client-key-salt:" in k}
    assert len(salts) == 1 and 0 < next(iter(salts.values())) <= 24 * 3600
    # The salt is random, not derived from anything an attacker holds.
    salt = cache.get(next(iter(salts)).split(":", 2)[2])
    assert len(salt) == 64 and settings.SECRET_KEY not in salt


@pytest.mark.django_db
def test_django_request_logs_keep_the_path_but_not_the_request(crossing, caplog):
    caplog.set_level(logging.DEBUG)
    Client(REMOTE_ADDR=MARKER_IP).post(
        "/api/v1/reports/", payload(), content_type="application/json"
    )
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Bad Request: /api/v1/reports/"]
    assert records[0].request is None
    assert records[0].status_code == 400


@pytest.mark.django_db
def test_other_pages_keep_the_request_on_their_log_records(client, caplog):
    client.get("/no-such-page/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and records[0].request is not None  # the filter is scoped


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    or shutil.which("pg_dump") is None,
    reason="pg_dump needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_trace_of_the_reporter_in_a_pg_dump(crossing, editor, settings):
    settings.REPORT_CLIENT_LIMIT = 5
    send_everything(editor)
    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
        timeout=60,
    ).stdout
    assert "Queue moving" in dump
    assert found_in(dump) == []
