"""Background work: Celery, beat's schedule and the feeds the workers poll.

Why the delivery settings are what they are: docs/background-refresh.md."""

from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.env import env_bool, env_int, env_str
from exitwatch.settings.core import REDIS_URL, TIME_ZONE
from exitwatch.settings.mirror import MIRROR_EXPORT_MINUTES

# --- Celery and beat (background refresh) ---------------------------------------------
# Without REDIS_URL tasks run in-process, so a newcomer needs no broker. Why the
# delivery settings are what they are: docs/background-refresh.md.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # tasks report through the rows they write
CELERY_RESULT_EXPIRES = None  # no result backend, so no nightly clean-up task
CELERY_TIMEZONE = TIME_ZONE
# A task whose worker dies is delivered again; exitwatch.lib.jobs caps redeliveries.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=5)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - max(
    2, CELERY_TASK_TIME_LIMIT // 10
)
# Redis redelivers what is not acknowledged within this: shorter than a task, and a
# slow task would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} must be longer than "
        f"CELERY_TASK_TIME_LIMIT={CELERY_TASK_TIME_LIMIT} seconds"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for messages abandoned by a dead worker every tenth of the timeout.
    "unacked_restore_interval": max(1, min(60, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing while Redis is down fails within seconds with a clear error.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Rosgranstroy's list of checkpoints, polled by the workers.
ROSGRANSTROY_ENABLED = env_bool("ROSGRANSTROY_ENABLED", True)
ROSGRANSTROY_URL = env_str("ROSGRANSTROY_URL", "https://rosgranstroy.ru/api/map_data")
ROSGRANSTROY_REFRESH_MINUTES = env_int("ROSGRANSTROY_REFRESH_MINUTES", 360, minimum=15)
# Each job expires before its next run: workers back from an outage do not replay
# every missed run.
EXITWATCH_ADVISORY_REFRESH_EXPIRES = 25 * 60
CELERY_BEAT_SCHEDULE = {
    "refresh-advisories": {
        "task": "advisories.tasks.refresh_advisories",
        "schedule": 30 * 60,
        "options": {"expires": EXITWATCH_ADVISORY_REFRESH_EXPIRES},
    },
    "refresh-flights": {
        "task": "routes.flights.tasks.refresh_flights",
        "schedule": 15 * 60,
        "options": {"expires": 12 * 60},
    },
    # The official checkpoint list (ROSGRANSTROY_*): the Russian side of every
    # crossing; the agency changes it a few times a month.
    "refresh-checkpoints": {
        "task": "routes.checkpoints.tasks.refresh_checkpoints",
        "schedule": ROSGRANSTROY_REFRESH_MINUTES * 60,
        "options": {"expires": ROSGRANSTROY_REFRESH_MINUTES * 60 - 60},
    },
    "mark-stale": {
        "task": "routes.mapdoc.tasks.mark_stale",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # Traveller reports past their retention (REPORT_RETENTION_DAYS) go daily.
    "purge-old-reports": {
        "task": "routes.reports.tasks.purge_old_reports",
        "schedule": 24 * 3600,
        "options": {"expires": 23 * 3600},
    },
    # Tasks that must survive a broker outage go through the outbox (outbox/);
    # beat sends what is left every 15 s once Redis is back.
    "outbox-drain": {
        "task": "outbox.drain",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    # The pending reports are the queue: this sweep is what tells moderators,
    # including of reports held back by REPORT_NOTIFY_INTERVAL.
    "notify-moderators": {
        "task": "routes.reports.tasks.notify_moderators",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Webhook deliveries whose first attempt or retry is due and was not sent
    # (docs/webhooks.md): the retry schedule lives in each delivery's row.
    "send-due-webhooks": {
        "task": "alerts.tasks.send_due_webhooks",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Telegram posts whose send task was lost, or held back by Telegram's limits
    # or a retry (docs/telegram.md): the schedule lives in each post's row.
    "send-telegram-posts": {
        "task": "alerts.telegram.tasks.send_telegram_posts",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Subscriptions failing for WEBHOOK_PAUSE_AFTER_DAYS are paused, owners told.
    "pause-failing-webhooks": {
        "task": "alerts.tasks.pause_failing_webhooks",
        "schedule": 3600.0,
        "options": {"expires": 3300},
    },
    # The signed static copy (docs/mirrors.md); skipped without a key and a folder.
    "export-mirror": {
        "task": "mirror.tasks.export_mirror",
        "schedule": MIRROR_EXPORT_MINUTES * 60,
        "options": {"expires": MIRROR_EXPORT_MINUTES * 60 - 60},
    },
}
# Flight prices: the Travelpayouts (Aviasales) Data API; off without a token.
TRAVELPAYOUTS_TOKEN = env_str("TRAVELPAYOUTS_TOKEN")
TRAVELPAYOUTS_URL = env_str(
    "TRAVELPAYOUTS_URL", "https://api.travelpayouts.com/aviasales/v3/prices_for_dates"
)
