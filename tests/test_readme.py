"""The README's HTTP examples run as written against a live server with the
shipped data: its shell blocks that call curl, and every path it names."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from routes.reports.models import TravellerReport
from routes.seeding import SEED_DIR
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
CURL_BLOCKS = [block for block in SHELL_BLOCKS if "curl " in block]
# Paths named in backticks, e.g. `/api/v1/map/` or `/crossings/<slug>/`.
PATHS = sorted(set(re.findall(r"`(/[^`\s]*)`", README)))
FORMATS = sorted(set(re.findall(r"`\?(format=\w+)`", README)))
SLUG = "verkhny-lars"  # a shipped crossing, for the paths that take one


@pytest.fixture
def shipped_site(live_server) -> str:
    """The live server with the example's crossing, which `make run` loads too."""
    CrossingFactory(slug=SLUG)
    return live_server.url


def test_the_readme_has_http_examples():
    assert CURL_BLOCKS and "/api/v1/map/" in PATHS and FORMATS


def test_the_example_crossing_is_shipped():
    shipped = json.loads((SEED_DIR / "crossings.json").read_text())
    assert SLUG in {row["slug"] for row in shipped}
    assert f'"crossing": "{SLUG}"' in README


@pytest.mark.parametrize("block", CURL_BLOCKS, ids=lambda b: b.split("\n", 1)[0][:40])
def test_each_curl_example_runs_as_written(shipped_site, block):
    # The block's own default address is `make run`'s; SITE points it here.
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        env={**os.environ, "SITE": shipped_site},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    # The report example is stored, pending moderation.
    assert answer["state"] == "pending", answer
    assert answer["crossing"] == SLUG
    assert TravellerReport.objects.filter(crossing__slug=SLUG).count() == 1


def test_every_path_the_readme_names_answers(shipped_site):
    failures = []
    urls = [path.replace("<slug>", SLUG) for path in PATHS]
    urls += [f"/api/v1/crossings/?{fmt}" for fmt in FORMATS]
    for url in urls:
        try:
            with urlopen(shipped_site + url, timeout=30) as response:
                status = response.status
        except HTTPError as error:
            status = error.code
        if status != 200:
            failures.append((url, status))
    assert failures == []
