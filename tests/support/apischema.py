"""The OpenAPI schema as schemathesis drives it: shared by
tests/routes/api/test_schemathesis.py and bench/schemathesis_run.py."""

from __future__ import annotations

import json
from collections import Counter

import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from schemathesis.schemas import BaseSchema

# Status codes seen, by operation: the bench prints them.
SEEN: Counter[tuple[str, int]] = Counter()


def load_schema() -> BaseSchema:
    """The schema /api/v1/schema/ serves, built without a request (no database at
    collection time), bound to the WSGI app so that cases are sent in-process."""
    # schemathesis.pytest.from_fixture would load it from the endpoint, but it
    # sets a node attribute pytest 9 no longer has.
    spec = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(spec, default=str)))
    loaded.app = get_wsgi_application()
    return loaded
