"""Test code stays on its side: product code imports none of it, and the benches
and the support package use the shared helpers (tests/support/, factories, recorded
samples), never a test module or a conftest."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("exitwatch", "routes", "advisories", "outbox", "manage.py")
# What code outside the tests may take from them.
SHARED = ("tests.support", "tests.factories", "tests.datafiles")


def imported(path: Path) -> set[str]:
    """The absolute imports of a file, at any depth (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            # `from tests import datafiles` takes the module tests.datafiles.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_imports(paths: list[Path], prefix: str) -> dict[str, list[str]]:
    return {
        str(path.relative_to(ROOT)): hits
        for path in paths
        if (hits := sorted(m for m in imported(path) if m.split(".")[0] == prefix))
    }


test_imports.__test__ = False  # a helper, not a test


def python_files(*names: str) -> list[Path]:
    paths = [ROOT / name for name in names]
    return [f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py"))]


def test_product_code_imports_no_test_code():
    product = python_files(*PRODUCT)
    assert test_imports(product, "tests") == {}
    assert test_imports(product, "bench") == {}


def test_benches_and_the_support_package_use_only_the_shared_helpers():
    users = python_files("bench", "tests/support")
    wrong = {
        path: bad
        for path, hits in test_imports(users, "tests").items()
        if (bad := [m for m in hits if not m.startswith(SHARED)])
    }
    assert wrong == {}
