"""django-axes as docs/security.md describes it: what it keeps of a login is the
username and the address (they drive the lockout), never the browser.

django-axes stores and logs the user agent of every failed login, and logs it for
every successful one (its verbose mode, on by default). A browser string narrows
down who a staff member is; the lockout keys on username and address only, so the
user agent is blanked before the database handler sees the request.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest


def _without_browser(request: HttpRequest | None) -> None:
    if request is not None:
        request.axes_user_agent = ""


class BrowserlessAxesHandler(AxesDatabaseHandler):
    """The database handler, with the user agent left out of its rows and logs."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict,
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        _without_browser(request)
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(
        self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any
    ) -> None:
        _without_browser(request)
        super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(
        self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any
    ) -> None:
        _without_browser(request)
        super().user_logged_out(sender, request, user, **kwargs)
