"""How heavy the map page and /lite/ are on the wire, tiles excluded.

    .venv/bin/python bench/page_weight.py

Builds what production serves: DEBUG off, `collectstatic` with hashed, pre-compressed
files (WhiteNoise), the real seed (every crossing: 126 today, 14 routes) plus a
morning of reports, flights and advisories (tests/support/scenario.py), in a
throw-away SQLite database. Then it requests the home page and every stylesheet,
script and preloaded document it names, as a browser sending `Accept-Encoding: gzip`
would, and adds up the bytes; and the map documents on their own.

Static files and the snapshot come pre-compressed from the server (gzip -9). HTML is
compressed per response by the front proxy, so it is measured at the level nginx is
given (gzip_comp_level in deploy/nginx/nginx.conf.template); raw sizes are printed
beside. Budgets: map page <= 150 KB, /lite/ <= 14 KB; and, because Russian
providers cut connections to big Western hosts after about 16 KB, the lean map
document the page loads <= 16 KB in each language with every crossing, and the
first response of / and /lite/ (the HTML alone) <= 14 KB.
Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NGINX_GZIP_LEVEL = int(
    re.search(
        r"gzip_comp_level (\d+);",
        (ROOT / "deploy/nginx/nginx.conf.template").read_text(),
    ).group(1)
)
MAP_BUDGET = 150 * 1024
LITE_BUDGET = 14 * 1024
# What passes the filter: one response of at most this many bytes on the wire.
MAP_DOCUMENT_BUDGET = 16 * 1024
FIRST_RESPONSE_BUDGET = 14 * 1024
ASSET = re.compile(
    r'<(?:link[^>]+rel="(?:stylesheet|preload)"[^>]*href|script[^>]+src)="([^"]+)"'
)


def _environment(workdir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="page-weight-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_MANIFEST="1",
        SQLITE_PATH=str(workdir / "weight.sqlite3"),
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)  # a private database and cache, always


def _prepare(workdir: Path) -> None:
    import django
    from django.conf import settings

    django.setup()
    settings.STATIC_ROOT = workdir / "static"
    from django.core.management import call_command

    from tests.support.scenario import build_dashboard_scenario

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    build_dashboard_scenario()


def _fetch(client, url: str, lang: str) -> tuple[int, int, str]:
    """(bytes on the wire, bytes decoded, content type) for one GET."""
    response = client.get(
        url, headers={"accept-encoding": "gzip", "accept-language": lang}
    )
    assert response.status_code == 200, (url, response.status_code)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if response.get("Content-Encoding") == "gzip":
        return len(body), len(gzip.decompress(body)), response["Content-Type"]
    # Not compressed by Django (HTML): the front proxy would gzip it.
    return (
        len(gzip.compress(body, compresslevel=NGINX_GZIP_LEVEL)),
        len(body),
        response["Content-Type"],
    )


def _measure(client, path: str, lang: str) -> list[tuple[str, int, int]]:
    wire, raw, _type = _fetch(client, path, lang)
    rows = [(path, wire, raw)]
    html = client.get(path, headers={"accept-language": lang}).content.decode()
    for url in dict.fromkeys(ASSET.findall(html.replace("&amp;", "&"))):
        wire, raw, _type = _fetch(client, url, lang)
        rows.append((url, wire, raw))
    return rows


def _report(title: str, rows: list[tuple[str, int, int]], budget: int) -> bool:
    print(f"\n{title}")
    print(f"  {'compressed':>10} {'raw':>10}  resource")
    for url, wire, raw in rows:
        print(f"  {wire:>10,} {raw:>10,}  {url}")
    wire_total = sum(r[1] for r in rows)
    raw_total = sum(r[2] for r in rows)
    ok = wire_total <= budget
    print(
        f"  {wire_total:>10,} {raw_total:>10,}  TOTAL = {wire_total / 1024:.1f} KB "
        f"compressed (budget {budget / 1024:.0f} KB: {'ok' if ok else 'OVER'})"
    )
    return ok


def _single(client, path: str, lang: str, budget: int) -> tuple[bool, str]:
    """One response against its budget: (within it, the line that says so)."""
    wire, raw, _type = _fetch(client, path, lang)
    ok = wire <= budget
    return ok, (
        f"  {wire:>10,} {raw:>10,}  {path} ({lang}): {wire / 1024:.1f} KB "
        f"(budget {budget / 1024:.0f} KB: {'ok' if ok else 'OVER'})"
    )


def _filter_report(client) -> bool:
    """The responses that must each pass a ~16 KB filter, and the full document
    for comparison (API clients only, no budget)."""
    from django.urls import reverse

    from routes.models import BorderCrossing

    crossings = BorderCrossing.objects.count()
    print(f"\nSingle responses through a ~16 KB filter ({crossings} crossings)")
    print(f"  {'compressed':>10} {'raw':>10}  resource")
    ok = True
    for lang in ("en", "ru"):
        lean = reverse("api:map-lean", args=[lang])
        response = client.get(lean, headers={"accept-encoding": "identity"})
        rows = len(response.json()["crossings"]["rows"])
        assert rows == crossings, f"{lean}: {rows} of {crossings} crossings"
        for path, budget in (
            (lean, MAP_DOCUMENT_BUDGET),
            ("/", FIRST_RESPONSE_BUDGET),
            ("/lite/", FIRST_RESPONSE_BUDGET),
        ):
            within, line = _single(client, path, lang, budget)
            ok &= within
            print(line)
    wire, raw, _type = _fetch(client, reverse("api:map"), "en")
    print(f"  {wire:>10,} {raw:>10,}  {reverse('api:map')} (full, for API clients)")
    return ok


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="exitwatch-weight-") as tmp:
        workdir = Path(tmp)
        _environment(workdir)
        _prepare(workdir)
        from django.test import Client

        client = Client()
        ok = True
        for lang in ("en", "ru"):
            ok &= _report(
                f"Map page /, {lang} (HTML, CSS, JS, translations, map document)",
                _measure(client, "/", lang),
                MAP_BUDGET,
            )
            ok &= _report(
                f"Text-only page /lite/, {lang}",
                _measure(client, "/lite/", lang),
                LITE_BUDGET,
            )
        ok &= _filter_report(client)
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
