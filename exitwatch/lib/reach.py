"""Where else the site can be reached, and when this page was made: `reach`.

Every page says both at its foot (templates/includes/_reach.html): a page saved,
forwarded or printed says how old it is, and where to look when this address
is blocked. The mirrors' pages and the onion service carry the same footer.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


class Reach(TypedDict):
    made_at: datetime
    mirrors: list[str]
    onion: str


def reach_now() -> Reach:
    """The footer's values at this moment: the time, the mirrors, the onion."""
    return {
        "made_at": timezone.now(),
        "mirrors": list(settings.MIRRORS),
        "onion": settings.ONION_ADDRESS,
    }


def reach(request: HttpRequest) -> dict[str, Reach]:
    """Context processor: `reach` for includes/_reach.html. A page rendered for a
    mirror (mirror.render) was made when its export began."""
    values = reach_now()
    page = getattr(request, "mirror", None)
    if page is not None:
        values["made_at"] = page.site.made_at
    return {"reach": values}
