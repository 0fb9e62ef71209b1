"""Telegram: the channels status changes are posted to, and the bot.

Why each limit is what it is: docs/telegram.md."""

from exitwatch.lib.env import env_int, env_str

# --- Telegram -------------------------------------------------------------------------
# Without a token nothing is posted and nothing fails: no rows are written.
TELEGRAM_BOT_TOKEN = env_str("TELEGRAM_BOT_TOKEN")
# Chat ids (-100…) or @names of the public channels; either may be left empty.
TELEGRAM_CHANNEL_RU = env_str("TELEGRAM_CHANNEL_RU")
TELEGRAM_CHANNEL_EN = env_str("TELEGRAM_CHANNEL_EN")
# Tests point this at a fake Bot API on loopback.
TELEGRAM_API_URL = env_str("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
# Telegram sends it back in X-Telegram-Bot-Api-Secret-Token with every update;
# without it the webhook refuses every request.
TELEGRAM_WEBHOOK_SECRET = env_str("TELEGRAM_WEBHOOK_SECRET")
# A post not sent this long after it was written is dropped.
TELEGRAM_GIVE_UP_HOURS = env_int("TELEGRAM_GIVE_UP_HOURS", 24, minimum=1)
# Connect and read timeouts of one Bot API call, each.
TELEGRAM_TIMEOUT_SECONDS = env_int("TELEGRAM_TIMEOUT_SECONDS", 10, minimum=1)
