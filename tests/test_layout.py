"""The code's layout holds: dependencies between packages run one way, the shared
library imports no app, no import cycle (not even through a function-level import),
no product module grows past what a reader can hold (docs/architecture.md), and
test code stays on its side: product code imports none of it, and the benches and
the support package use only the shared helpers, never a test module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("exitwatch", "routes", "advisories", "outbox", "alerts", "mirror")
MAX_LINES = 450
# What code outside the tests may take from them.
SHARED_TEST_CODE = ("tests.support", "tests.factories", "tests.datafiles")

# Each package and the packages it may import (besides itself). The composition
# root (exitwatch's settings, urls and api_urls) may import anything.
ALLOWED = {
    "exitwatch.lib": set(),
    "outbox": {"exitwatch.lib"},
    "advisories": {"exitwatch.lib", "outbox"},
    "routes": {"exitwatch.lib", "outbox"},
    "routes.flights": {"exitwatch.lib", "routes"},
    "routes.entry": {"exitwatch.lib", "outbox"},
    # The Russian side's baseline is read from the official list's parser.
    "routes.access": {"exitwatch.lib", "routes", "routes.checkpoints"},
    "routes.reports": {"exitwatch.lib", "routes"},
    "routes.checkpoints": {"exitwatch.lib", "routes", "routes.flights"},
    "routes.waysout": {
        "exitwatch.lib",
        "routes",
        "routes.flights",
        "routes.entry",
        "routes.access",
        "routes.places",
        "advisories",
    },
    "routes.places": {"exitwatch.lib", "routes", "routes.flights"},
    "routes.feeds": {"exitwatch.lib", "routes", "advisories"},
    "routes.mapdoc": {
        "exitwatch.lib",
        "routes",
        "routes.flights",
        "routes.reports",
        "routes.checkpoints",
        "routes.entry",
        "routes.access",
        "routes.places",
        "routes.waysout",
        "advisories",
    },
    # Events from what the write paths record, and partners' webhooks.
    "alerts": {"exitwatch.lib", "outbox", "routes", "routes.entry", "advisories"},
    # Status changes posted to Telegram channels and followers; the bot.
    "alerts.telegram": {
        "exitwatch.lib",
        "outbox",
        "routes",
        "routes.entry",
        "advisories",
        "alerts",
    },
    # The signed static copy: it lists what to export and renders it through
    # the site's own URLs and views.
    "mirror": {"exitwatch.lib", "routes", "routes.places", "routes.waysout"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imports(path: Path, module: str) -> set[str]:
    """Every module this file imports, at any depth (functions included)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from routes.flights import views` imports a module, not a name.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _package(module: str) -> str | None:
    """The layout package a module belongs to (the longest matching prefix)."""
    candidates = [*ALLOWED, "exitwatch"]
    matches = [p for p in candidates if module == p or module.startswith(p + ".")]
    return max(matches, key=len) if matches else None


MODULES = _product_modules()
GRAPH = {
    name: {m for m in _imports(path, name) if m in MODULES and m != name}
    for name, path in MODULES.items()
}


def test_each_package_imports_only_what_it_may():
    wrong = {}
    for module, targets in sorted(GRAPH.items()):
        own = _package(module)
        if own == "exitwatch":
            continue  # the composition root: settings, urls, api_urls, celery, boot
        bad = sorted(
            target
            for target in targets
            if (theirs := _package(target)) not in (own, None)
            and theirs not in ALLOWED[own]
        )
        if bad:
            wrong[module] = bad
    assert wrong == {}


def test_there_is_no_import_cycle():
    # Tarjan's strongly connected components over the module graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            # A package's __init__ importing its own submodule is not a cycle.
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_product_module_is_over_the_line_limit():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_layout_checks_see_every_package():
    # Guard the guard: a renamed package must not silently drop out of the checks.
    packages = {_package(name) for name in MODULES}
    assert packages == {*ALLOWED, "exitwatch"}
    assert GRAPH["routes.flights.models"] >= {"routes.models"}


def _importers_of(paths: list[Path], prefix: str) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        hits = sorted(
            m for m in _imports(path, _module_name(path)) if m.split(".")[0] == prefix
        )
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    return found


def test_product_code_imports_no_test_or_bench_code():
    product = [*MODULES.values(), ROOT / "manage.py"]
    assert _importers_of(product, "tests") == {}
    assert _importers_of(product, "bench") == {}


def test_benches_and_the_support_package_use_only_the_shared_test_helpers():
    users = [*(ROOT / "bench").rglob("*.py"), *(ROOT / "tests/support").rglob("*.py")]
    wrong = {
        path: bad
        for path, hits in _importers_of(users, "tests").items()
        # `from tests import datafiles` names the package too: only modules count.
        if (
            bad := [
                m for m in hits if m != "tests" and not m.startswith(SHARED_TEST_CODE)
            ]
        )
    }
    assert wrong == {}
