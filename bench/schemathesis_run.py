"""schemathesis over the whole OpenAPI schema with many generated cases.

    .venv/bin/python bench/schemathesis_run.py [--examples 60]

Runs tests/routes/api/test_schemathesis.py (the WSGI app in-process, the same checks:
not a server error, documented status code, response body matching the schema) with
--examples cases per operation instead of 5, then prints how many cases were sent,
the status codes by operation, and the failures. Exits non-zero on any failure or if
fewer than 1,000 cases ran. About a minute with the default 60.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=60)
    args = parser.parse_args()
    os.environ["SCHEMATHESIS_MAX_EXAMPLES"] = str(args.examples)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import pytest

    outcomes: Counter[str] = Counter()

    class Tally:
        def pytest_runtest_logreport(self, report) -> None:
            if report.when == "call":
                outcomes[report.outcome] += 1

    code = pytest.main(
        [
            "tests/routes/api/test_schemathesis.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "--tb=line",
        ],
        plugins=[Tally()],
    )
    from tests.support.apischema import SEEN

    total = sum(SEEN.values())
    by_status: Counter[int] = Counter()
    for (operation, status), count in sorted(SEEN.items()):
        by_status[status] += count
        print(f"{count:6d}  {status}  {operation}")
    pairs = len({op for op, _ in SEEN})
    print(f"method+path pairs sent: {pairs} (negative mode adds methods)")
    print(f"tests (one per schema operation): {dict(outcomes)}")
    print(f"cases sent: {total}; by status: {dict(sorted(by_status.items()))}")
    print(f"5xx responses: {sum(c for s, c in by_status.items() if s >= 500)}")
    ok = code == 0 and total >= 1000
    print("RESULT", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
