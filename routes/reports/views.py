"""Pages: the report form (/report/, /report/<slug>/) and the privacy page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from routes.models import SIDES, BorderCrossing, SourceKind
from routes.reports.forms import FIELD_FOR, ReportForm
from routes.reports.limits import RateLimited, limit_submission, too_many_message
from routes.reports.services import report_accept
from routes.reports.tokens import form_token_issue
from routes.waits import crossing_wait_figures


def _language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in dict(settings.LANGUAGES) else "en"


def status_source(crossing: BorderCrossing) -> dict[str, Any] | None:
    """Who says the crossing's status, in a traveller's words, and when.

    The status is the stricter side's claim: name that side's source (the
    newest, when both sides say the same).
    """
    sides = [crossing.side_state(side) for side in SIDES]
    claims = [s for s in sides if s["status"] == crossing.status and s["observed_at"]]
    if claims:
        claim = max(claims, key=lambda s: s["observed_at"])
        kind, when = claim["source_kind"], claim["observed_at"]
    else:
        kind, when = crossing.last_source_kind, crossing.status_observed_at
    words = {
        SourceKind.OFFICIAL: _("according to official sources"),
        SourceKind.STAFF: _("according to ExitWatch editors"),
        SourceKind.PARTNER: _("according to a partner organisation"),
        SourceKind.TRAVELLER: _("according to travellers' reports"),
        SourceKind.FEED: _("according to an automatic data feed"),
    }
    if kind not in words:
        return None
    return {"words": words[kind], "observed_at": when}


def _render(
    request: HttpRequest,
    crossing: BorderCrossing | None,
    form: ReportForm,
    *,
    status: int = 200,
    sent: bool = False,
    retry_after: int | None = None,
) -> HttpResponse:
    context = {
        "crossing": crossing,
        "form": form,
        # Always a new token: a refused form is shown again, ready to resend.
        "form_token": form_token_issue(),
        "sent": sent,
    }
    if crossing is not None:
        context["waits"] = crossing_wait_figures(crossing=crossing, now=timezone.now())
        context["status_source"] = status_source(crossing)
    response = render(request, "reports/report_form.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
def report_form(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    crossing = get_object_or_404(BorderCrossing, slug=slug) if slug else None
    if request.method != "POST":
        form = ReportForm(initial={"crossing": slug or ""}, language=_language())
        return _render(request, crossing, form, sent=request.GET.get("sent") == "1")

    form = ReportForm(request.POST, language=_language())
    try:
        client = limit_submission(request, None)
    except RateLimited as exc:
        form.add_error(None, too_many_message(exc))
        return _render(request, crossing, form, status=429, retry_after=exc.retry_after)
    if not form.is_valid():
        return _render(request, crossing, form, status=400)
    try:
        report, _created = report_accept(
            fields=form.report_fields(), form_token_nonce=form.nonce, client=client
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            target = FIELD_FOR.get(field, field)
            form.add_error(target if target in form.fields else None, messages)
        return _render(request, crossing, form, status=400)
    target = reverse("reports:form-crossing", args=[report.crossing.slug])
    return HttpResponseRedirect(f"{target}?sent=1")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/privacy.html",
        {
            "retention_days": settings.REPORT_RETENTION_DAYS,
            "recent_minutes": settings.REPORT_RECENT_MINUTES,
            "limit_minutes": max(1, settings.REPORT_CLIENT_WINDOW // 60),
            "token_minutes": max(1, settings.REPORT_FORM_TOKEN_MAX_AGE // 60),
        },
    )
