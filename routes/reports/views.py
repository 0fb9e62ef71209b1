"""Pages: the report form (/report/, /report/<slug>/) and the privacy page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from routes.models import BorderCrossing
from routes.reports.forms import FIELD_FOR, ReportForm
from routes.reports.limits import RateLimited, limit_submission, too_many_message
from routes.reports.selectors import reports_published
from routes.reports.services import report_accept
from routes.reports.tokens import form_token_issue
from routes.waits import crossing_wait_figures


def _language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in dict(settings.LANGUAGES) else "en"


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
        now = timezone.now()
        context["waits"] = crossing_wait_figures(crossing=crossing, now=now)
        context["reports"] = list(reports_published(crossing=crossing, now=now)[:20])
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
        report = report_accept(
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
