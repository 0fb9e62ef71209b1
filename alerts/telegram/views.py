"""The bot's webhook: Telegram POSTs each update here (docs/telegram.md)."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alerts.telegram.bot import update_handle

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@csrf_exempt  # Telegram has no CSRF token: the secret header authenticates it
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Check the secret, act on the update, answer at once: Telegram retries
    whatever is not a 2xx, so a well-formed update always gets 200."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse(status=403)
    try:
        update = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "The body is not JSON."}, status=400)
    if not isinstance(update, dict):
        return JsonResponse({"detail": "An update is a JSON object."}, status=400)
    answer = update_handle(update)
    if answer is None:
        return HttpResponse(status=200)
    return JsonResponse(answer)
