"""Fixtures for the Telegram tests: a fake Bot API and the settings that aim at it."""

from __future__ import annotations

import pytest

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret-for-tests"


@pytest.fixture
def telegram(settings, bot_api):
    """A bot with both channels, talking to the fake Bot API."""
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_CHANNEL_RU = "@exitwatch_ru"
    settings.TELEGRAM_CHANNEL_EN = "@exitwatch_en"
    settings.TELEGRAM_API_URL = bot_api.url
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = "https://exitwatch.example"
    return bot_api
