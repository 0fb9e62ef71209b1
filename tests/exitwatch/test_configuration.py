"""docs/configuration.md and the code agree: every variable read has a row, every row
names a variable something reads.

The code is read, not run: `ast` finds the environment readers (exitwatch.lib.env's
and os.environ's) in the product's Python, and `${NAME` / `$NAME` in the deployment
files (docker-compose.yml, Dockerfile, deploy/).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"
PRODUCT = ["exitwatch", "routes", "advisories", "outbox", "manage.py"]
TESTS_AND_BENCHES = ["tests", "bench"]
DEPLOYMENT = ["docker-compose.yml", "Dockerfile", "deploy"]
MAIN_TABLE = "Variables"
TEST_TABLE = "Test and benchmark only"

TYPED_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_float"}
ENVIRON_CALLS = ("environ.get", "environ.setdefault", "getenv")
# The typed readers themselves read whatever name they are given.
READS_BY_ANY_NAME = {ROOT / "exitwatch" / "lib" / "env.py"}


def python_files(roots: Iterable[str]) -> Iterator[Path]:
    for root in roots:
        path = ROOT / root
        if path.is_file():
            yield path
            continue
        for file in sorted(path.rglob("*.py")):
            if "migrations" not in file.parts and ".venv" not in file.parts:
                yield file


def reads_in(source: str, where: str) -> Iterator[tuple[str | None, str]]:
    """(name, "file:line") for each environment read; name is None if not literal."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            if func.rsplit(".", 1)[-1] not in TYPED_READERS and not func.endswith(
                ENVIRON_CALLS
            ):
                continue
            name = node.args[0] if node.args else None
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith(
            "environ"
        ):
            name = node.slice
        else:
            continue
        literal = (
            name.value
            if isinstance(name, ast.Constant) and isinstance(name.value, str)
            else None
        )
        yield literal, f"{where}:{node.lineno}"


def python_reads(roots: Iterable[str]) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for file in python_files(roots):
        where = str(file.relative_to(ROOT))
        for name, place in reads_in(file.read_text(), where):
            if name is None and file in READS_BY_ANY_NAME:
                continue
            found.setdefault(name, []).append(place)
    return found


def deployment_reads(*, inputs_only: bool = False) -> set[str]:
    """Names read in the deployment files; with inputs_only, only those read with a
    default or a requirement (`${NAME:-…}`, `${NAME:=…}`, `${NAME:?…}`): the ones an
    operator sets, not those a script sets for itself."""
    pattern = r"\$\{([A-Z_][A-Z0-9_]*):" if inputs_only else r"\$\{?([A-Z_][A-Z0-9_]*)"
    names: set[str] = set()
    for root in DEPLOYMENT:
        path = ROOT / root
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file():
                names |= set(re.findall(pattern, file.read_text()))
    return names


def env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def documented_rows(table: str) -> list[str]:
    """Variable names of the rows under the heading `## {table}`, in order."""
    text = DOC.read_text()
    section = re.search(
        rf"^## {re.escape(table)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL
    )
    assert section, f"docs/configuration.md has no section '## {table}'"
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section.group(1), re.MULTILINE)


def listing(names: Iterable[str], places: dict[str | None, list[str]]) -> str:
    return "\n".join(f"{name} ({', '.join(places.get(name, []))})" for name in names)


def test_the_scanner_sees_every_way_the_code_reads_a_variable():
    source = """
import os
from exitwatch.lib import env
a = env_str("A_STR", "x")
b = env_bool("A_BOOL", False)
c = env_int("AN_INT", 1, minimum=0)
d = env_list("A_LIST")
e = env_float("A_FLOAT", 0.5)
f = env.env_str("A_QUALIFIED")
g = os.environ.get("FROM_GET")
h = os.environ["FROM_SUBSCRIPT"]
os.environ.setdefault("FROM_SETDEFAULT", "1")
i = os.getenv("FROM_GETENV")
j = os.environ.get(some_name)
k = settings.ENV_STR_IS_NOT_A_READ
"""
    names = [name for name, _ in reads_in(source, "example.py")]
    assert sorted(names, key=str) == sorted(
        [
            "A_STR",
            "A_BOOL",
            "AN_INT",
            "A_LIST",
            "A_FLOAT",
            "A_QUALIFIED",
            "FROM_GET",
            "FROM_SUBSCRIPT",
            "FROM_SETDEFAULT",
            "FROM_GETENV",
            None,
        ],
        key=str,
    )


def test_the_settings_reads_are_found():
    # A guard on the scan itself: if it found nothing, every other test would pass.
    reads = python_reads(PRODUCT)
    assert {"DJANGO_DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"} <= set(reads)


def test_the_code_names_every_variable_it_reads_literally():
    # A computed name cannot be checked against the docs.
    reads = python_reads(PRODUCT)
    assert None not in reads, "read by a computed name: " + ", ".join(reads[None])


def test_every_variable_the_code_reads_is_documented():
    reads = python_reads(PRODUCT)
    undocumented = sorted(set(reads) - {None} - set(documented_rows(MAIN_TABLE)))
    assert not undocumented, (
        "read by the code but not in the table of docs/configuration.md:\n"
        + listing(undocumented, reads)
    )


def test_every_variable_a_deployment_sets_is_documented():
    deployment = deployment_reads(inputs_only=True) | env_example_names()
    undocumented = sorted(deployment - set(documented_rows(MAIN_TABLE)))
    assert not undocumented, (
        "set in .env.example or read with a default by docker-compose.yml or "
        "deploy/, but not in docs/configuration.md: " + ", ".join(undocumented)
    )


def test_every_documented_variable_is_read_by_the_product_or_its_deployment():
    read = set(python_reads(PRODUCT)) | deployment_reads()
    unread = sorted(set(documented_rows(MAIN_TABLE)) - read)
    assert not unread, (
        "documented in docs/configuration.md but read by nothing: " + ", ".join(unread)
    )


def test_every_test_and_benchmark_variable_is_read_by_them_and_only_them():
    rows = set(documented_rows(TEST_TABLE))
    unread = sorted(rows - set(python_reads(TESTS_AND_BENCHES)))
    assert not unread, f"documented for tests and benches, read by neither: {unread}"
    product = sorted(rows & set(python_reads(PRODUCT)))
    assert not product, (
        f"read by the product, so they belong in the main table: {product}"
    )


def test_no_variable_has_two_rows():
    rows = documented_rows(MAIN_TABLE) + documented_rows(TEST_TABLE)
    twice = sorted(name for name, count in Counter(rows).items() if count > 1)
    assert not twice, f"documented more than once: {twice}"
