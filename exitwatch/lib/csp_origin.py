"""Content-Security-Policy sources derived from configured URLs."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def csp_origin(url_template: str, *, variable: str) -> str:
    """The origin a policy must allow for URLs made from `url_template`.

    A Leaflet-style {placeholder} in the first label of the host becomes CSP's
    `*.` wildcard (https://{s}.tile.example.org/... allows
    https://*.tile.example.org); a placeholder anywhere else in the host cannot be
    expressed in CSP and raises ImproperlyConfigured naming `variable`. A template
    without a host (served by this site) needs no origin: "" ('self' covers it).
    """
    parts = urlsplit(url_template)
    if not parts.netloc:
        return ""
    first, *rest = parts.netloc.split(".")
    if any("{" in label for label in rest):
        raise ImproperlyConfigured(
            f"{variable} may have a {{placeholder}} only in the first label of its "
            "host (a CSP wildcard), e.g. https://{s}.tile.example.org/{z}/{x}/{y}.png"
        )
    host = ".".join(["*" if "{" in first else first, *rest])
    return f"{parts.scheme}://{host}"
