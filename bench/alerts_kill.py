"""Status changes delivered while a Celery worker is SIGKILLed 20 times: every
event reaches the webhook receiver and both Telegram channels, none is lost, and
a repeat (a kill between the receiver's answer and the row's update) carries the
event's stable webhook-id, so receivers can drop it.

    .venv/bin/python bench/alerts_kill.py [--events 200] [--kills 20] [--seed 7]

Starts on loopback a redis-server of its own (ports 8600-8699), a webhook
receiver that records every request and holds each answer --hold seconds (so a
kill can fall while a POST is in flight), and the tests' fake Telegram Bot API,
each call held as long before it is handled.
The database is BENCH_DATABASE_URL (default exitwatch_alerts_kill, migrated
here). Each run makes crossings, a subscription and channel names of its own;
the subscriptions and posts of earlier runs are deleted first (events are
append-only and stay, sent to nobody).

A writer records --events status changes (open ↔ closed, each with its own
source URL, so each post's text is unique) across --crossings crossings through
the write path, --pace seconds apart. The bench plays beat: every --sweep
seconds it sends the outbox drain and the webhook and Telegram sweeps, as beat
does every 15 and 30 s. Each kill waits for a request at the receiver or the
Bot API since the last worker was ready, waits a random 0..--spread seconds,
SIGKILLs the worker's process group and starts a new worker. Celery runs with
short limits (CELERY_TASK_TIME_LIMIT=6, CELERY_VISIBILITY_TIMEOUT=7), so a
killed task comes back within seconds and a killed attempt's claim on its row
expires after 66 s (the limit plus a minute), when the sweep takes it over.

Lost: an event with no delivery at the receiver, or a post whose text is in no
message at the Bot API. Repeats: arrivals beyond the first, by webhook-id, and
messages beyond the first holding a post. About 2-3 minutes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from harness import ROOT, app_env, logs_done

sys.path.insert(0, str(ROOT))

PORTS = "8600-8699"
LIMITS = {"CELERY_TASK_TIME_LIMIT": "6", "CELERY_VISIBILITY_TIMEOUT": "7"}
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/exitwatch_alerts_kill"
TOKEN = "123456:BENCH-token"
BENCH_USER = "bench-alerts-kill"
CHAT_PREFIX = "@bench_kill_"
GAVE_UP = re.compile(r"gave up on ([\w.]+)\[")


class Recorder:
    """A webhook receiver: records (webhook-id, headers, body) on arrival,
    holds the answer `hold` seconds, then answers 204."""

    def __init__(self, hold: float) -> None:
        from tests.support.ports import loopback_server

        self.hold = hold
        self.lock = threading.Lock()
        self.arrivals: list[tuple[str, dict[str, str], bytes]] = []
        self.answered: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with recorder.lock:
                    recorder.arrivals.append((headers["webhook-id"], headers, body))
                time.sleep(recorder.hold)  # the worker may die waiting for this
                try:
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    return
                with recorder.lock:
                    recorder.answered.append(headers["webhook-id"])

        self.httpd = loopback_server(PORTS, Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def signature_ok(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """docs/webhooks.md's verification (without the clock check: a repeat may
    come minutes later, which is what that check is for)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = (
        "v1,"
        + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    )
    return any(
        hmac.compare_digest(expected, c) for c in headers["webhook-signature"].split()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--crossings", type=int, default=10)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--pace", type=float, default=0.25, help="between changes")
    parser.add_argument("--hold", type=float, default=0.1, help="receiver, s")
    parser.add_argument("--spread", type=float, default=0.5, help="kill jitter, s")
    parser.add_argument("--sweep", type=float, default=2.0, help="beat's sweeps, s")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    run = uuid.uuid4().hex[:8]

    os.environ["EXITWATCH_TEST_PORTS"] = PORTS
    from tests.support.botserver import BotServer
    from tests.support.waiting import wait_for
    from tests.support.workerproc import PrivateRedis, free_port, worker_start

    redis_server = PrivateRedis(free_port(PORTS))
    receiver = Recorder(args.hold)
    bot = BotServer()
    # A worker killed mid-request resets its connection: expected here, not news.
    for server in (receiver.httpd, bot.httpd):
        server.handle_error = lambda request, client_address: None

    class HeldBotCall(bot.httpd.RequestHandlerClass):
        # Held before Telegram "sends": a worker killed meanwhile never learns
        # that the message went out, as with a kill after the webhook's 204.
        def do_POST(self) -> None:  # noqa: N802
            time.sleep(args.hold)
            super().do_POST()

    bot.httpd.RequestHandlerClass = HeldBotCall
    channels = {"ru": f"{CHAT_PREFIX}{run}_ru", "en": f"{CHAT_PREFIX}{run}_en"}
    env = app_env(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
        REDIS_URL=redis_server.url,
        CACHE_KEY_PREFIX="exitwatch-alerts-kill",
        LOG_LEVEL="INFO",
        WEBHOOK_ALLOW_HTTP="1",
        WEBHOOK_ALLOW_PRIVATE="1",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_CHANNEL_RU=channels["ru"],
        TELEGRAM_CHANNEL_EN=channels["en"],
        TELEGRAM_API_URL=bot.url,
        SITE_URL="https://exitwatch.example",
        **LIMITS,
    )
    # The workers log at INFO; this process only what goes wrong.
    os.environ.update({**env, "LOG_LEVEL": "WARNING"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "exitwatch.settings"
    workdir = Path(tempfile.mkdtemp(prefix="exitwatch-alerts-kill-"))
    workers = []
    stop = threading.Event()
    started = time.monotonic()
    try:
        redis_server.start()
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import connection
        from kombu.exceptions import OperationalError

        from alerts.models import Delivery, DeliveryState, Event, Subscription
        from alerts.services import subscription_create
        from alerts.tasks import send_due_webhooks
        from alerts.telegram.models import ChannelPost, PostState
        from alerts.telegram.tasks import send_telegram_posts
        from outbox.tasks import outbox_drain_task
        from routes.services import crossing_update_record
        from tests.factories import CrossingFactory

        call_command("migrate", verbosity=0)
        user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
        user.groups.add(Group.objects.get(name="Webhook partners"))
        Subscription.objects.filter(owner=user).delete()  # earlier runs'
        ChannelPost.objects.filter(chat_id__startswith=CHAT_PREFIX).delete()
        crossings = [
            CrossingFactory(slug=f"kill-{run}-{i}", name_en=f"Kill {run} {i}")
            for i in range(args.crossings)
        ]
        subscription = subscription_create(
            owner=user,
            target_url=f"http://127.0.0.1:{receiver.port}/hooks/{run}",
            crossings=[c.slug for c in crossings],
            kinds=["status_change"],
        )

        def start_worker():
            number = len(workers)
            worker = worker_start(
                env=env,
                log=workdir / f"worker-{number}.log",
                hostname=f"alerts-kill-{number}-{os.getpid()}@127.0.0.1",
            )
            workers.append(worker)
            return worker

        def beat() -> None:
            while not stop.wait(args.sweep):
                for task in (outbox_drain_task, send_due_webhooks, send_telegram_posts):
                    try:
                        task.apply_async(retry=False, expires=args.sweep * 5)
                    except OperationalError:
                        pass

        written: list[int] = []

        def write() -> None:
            for n in range(args.events):
                if stop.is_set():
                    return
                crossing = crossings[n % len(crossings)]
                status = "closed" if (n // len(crossings)) % 2 == 0 else "open"
                crossing_update_record(
                    crossing=crossing,
                    source_kind="partner",
                    status=status,
                    source_url=f"https://bench.example/{run}/{n}",
                )
                written.append(n)
                time.sleep(args.pace)
            connection.close()

        def requests_seen() -> int:
            return len(receiver.arrivals) + len(bot.calls)

        worker = start_worker()
        threads = [threading.Thread(target=f, daemon=True) for f in (beat, write)]
        for thread in threads:
            thread.start()
        print(
            f"{args.events} status changes over {args.crossings} crossings, "
            f"{args.kills} kills, seed {args.seed}, run {run}"
        )
        kills = 0
        for _number in range(args.kills):
            seen = requests_seen()
            try:
                wait_for(lambda seen=seen: requests_seen() > seen, 30, "a request")
            except AssertionError:
                print("  no request within 30 s: no more kills")
                break
            time.sleep(rng.uniform(0, args.spread))
            worker.kill()
            kills += 1
            worker = start_worker()
        threads[1].join()
        writes_done = time.monotonic() - started

        ours = Event.objects.filter(crossing__in=crossings)
        posts = ChannelPost.objects.filter(chat_id__in=channels.values())

        def settled() -> bool:
            return (
                ours.count() == args.events
                and not Delivery.objects.filter(
                    subscription=subscription, state=DeliveryState.PENDING
                ).exists()
                and not posts.filter(state=PostState.PENDING).exists()
            )

        try:
            wait_for(settled, 150, "every delivery and post to be done", every=1)
        except AssertionError as exc:
            print(f"  {exc}")
        stop.set()

        events = {e.webhook_id: e for e in ours}
        deliveries = Delivery.objects.filter(subscription=subscription)
        delivered_rows = deliveries.filter(state=DeliveryState.DELIVERED).count()
        failed_rows = deliveries.filter(state=DeliveryState.FAILED).count()
        with receiver.lock:
            arrivals = list(receiver.arrivals)
            answered = Counter(receiver.answered)
        by_id = Counter(webhook_id for webhook_id, _h, _b in arrivals)
        received = set(by_id) & set(events)
        strangers = set(by_id) - set(events)
        lost_hooks = set(events) - set(by_id)
        repeats = sum(count - 1 for count in by_id.values())
        repeated_ids = sum(count > 1 for count in by_id.values())
        bad_signatures = sum(
            not signature_ok(subscription.secret, h, b) for _i, h, b in arrivals
        )
        # A repeat after a 2xx: the receiver answered the id before it came again.
        after_answer = sum(min(answered[i], by_id[i] - 1) for i in by_id)

        texts = [m["text"] for m in bot.sent() if m["chat_id"] in channels.values()]
        post_rows = list(posts.values_list("text", "state"))
        per_post = [sum(text in m for m in texts) for text, _state in post_rows]
        lost_posts = sum(n == 0 for n in per_post)
        post_repeats = sum(max(n - 1, 0) for n in per_post)
        posts_failed = sum(state == PostState.FAILED for _t, state in post_rows)
        gave_up = Counter(name for w in workers for name in GAVE_UP.findall(w.output()))
        elapsed = time.monotonic() - started

        figures = [
            ("status changes written", len(written)),
            ("events made", len(events)),
            ("worker SIGKILLs", kills),
            ("workers started", len(workers)),
            ("webhooks: events delivered (by id)", len(received)),
            ("webhooks: events lost", len(lost_hooks)),
            ("webhooks: requests received", len(arrivals)),
            ("webhooks: repeats (same webhook-id)", f"{repeats} of {repeated_ids} ids"),
            ("  of which after the receiver's 204", after_answer),
            ("webhooks: bad signatures", bad_signatures),
            ("webhooks: ids of no event of the run", len(strangers)),
            (
                "deliveries delivered / failed (rows)",
                f"{delivered_rows} / {failed_rows}",
            ),
            ("telegram: posts (2 channels)", len(post_rows)),
            ("telegram: messages sent", len(texts)),
            ("telegram: posts lost / failed", f"{lost_posts} / {posts_failed}"),
            ("telegram: post repeats", post_repeats),
            ("tasks given up after the delivery cap", dict(gave_up)),
            ("writes done after", f"{writes_done:.0f} s"),
            ("wall time", f"{elapsed:.0f} s"),
        ]
        for label, value in figures:
            print(f"{label + ':':<42}{value}")
        ok = (
            len(written) == len(events) == args.events
            and not lost_hooks
            and not strangers
            and bad_signatures == 0
            and len(post_rows) == 2 * args.events
            and lost_posts == 0
            and posts_failed == 0
        )
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        stop.set()
        for worker in workers:
            worker.kill()
        receiver.close()
        bot.close()
        redis_server.stop()
        logs_done(workdir)


if __name__ == "__main__":
    sys.exit(main())
