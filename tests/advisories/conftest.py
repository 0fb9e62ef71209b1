import importlib

import pytest

from advisories.models import AdvisorySource
from tests.support.feedserver import serve_samples

MIGRATION = importlib.import_module("advisories.migrations.0002_advisory_sources")


@pytest.fixture
def sources(db):
    """The four sources, as the data migration creates them, by key."""
    found = {}
    for row in MIGRATION.SOURCES:
        values = {k: v for k, v in row.items() if k != "key"}
        found[row["key"]], _ = AdvisorySource.objects.get_or_create(
            key=row["key"], defaults=values
        )
    return found


@pytest.fixture
def served_sources(sources, feed_server):
    """The four sources pointed at the local server serving the recorded samples."""
    for key, url in serve_samples(feed_server).items():
        AdvisorySource.objects.filter(key=key).update(url=url)
        sources[key].url = url
    return sources
