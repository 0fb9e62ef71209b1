"""Webhooks for partners: where deliveries may go, and how long they are tried.

Why each rule is what it is: docs/webhooks.md."""

from exitwatch.lib.env import env_bool, env_int
from exitwatch.settings.core import DEBUG

# --- Webhooks -------------------------------------------------------------------------
# Plain http:// targets only in development: a delivery carries a signed body
# anyone on the path could read.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)
# Private, loopback, link-local, multicast and reserved addresses are refused,
# at registration and again after DNS resolution at each delivery (SSRF). Tests
# and a receiver on the same private network turn this on.
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
# A delivery is tried with backoff for this long after its event, then dropped.
WEBHOOK_GIVE_UP_HOURS = env_int("WEBHOOK_GIVE_UP_HOURS", 24, minimum=1)
# A subscription whose deliveries have failed (no success since) this long is
# paused and its owner told.
WEBHOOK_PAUSE_AFTER_DAYS = env_int("WEBHOOK_PAUSE_AFTER_DAYS", 3, minimum=1)
# Connect and read timeouts of one delivery, each.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
