"""Small pieces of HTTP every view that serves cached bytes needs."""

from __future__ import annotations


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header admits gzip (a q=0 refuses it)."""
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and _q_is_zero(q[2:]))
    return False


def _q_is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


def etag_matches(if_none_match: str, *etags: str) -> bool:
    """Whether an If-None-Match header names one of `etags` (weak or strong), or *."""
    if if_none_match.strip() == "*":
        return True
    offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return any(etag in offered for etag in etags)


def strong_etags(if_match: str) -> list[str]:
    """The strong entity tags an If-Match header lists, weak ones left out.

    If-Match uses the strong comparison (RFC 9110, 13.1.1): a weak tag promises
    only an equivalent representation, never the same version, so it matches
    nothing. "*" is returned as it is."""
    tags = [tag.strip() for tag in if_match.split(",")]
    return [tag for tag in tags if tag and not tag.startswith("W/")]
