"""No module of the suite or the benchmarks imports a test module: shared code lives in support.

Test modules are collected by pytest; importing one from another module runs (and can re-collect)
it twice, and ties a benchmark to the suite's layout. Shared helpers, constants and fixtures belong
in non-test modules (crypto_assets_tests/support/, crypto_assets_tests/e2e/support.py) or a
conftest.py. Code embedded in a string (a script run with `python -c`) is checked the same way.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("crypto_assets_tests", "benchmarks")


def _is_test_module(dotted: str) -> bool:
    """A module of this repository (or a bare top-level name) that is a test module."""
    parts = dotted.split(".")
    ours = parts[0] in SCANNED or parts[0].startswith("test_")
    return ours and any(part.startswith("test_") for part in parts)


def _package_of(path: Path) -> list[str]:
    """The dotted package a file sits in, relative to the repository root."""
    return list(path.resolve().relative_to(REPO).parent.parts)


def _resolve(node: ast.ImportFrom, package: list[str]) -> str:
    """The absolute dotted name of a `from ... import` statement's module."""
    if not node.level:
        return node.module or ""
    base = package[: len(package) - node.level + 1] if node.level <= len(package) else []
    return ".".join([*base, *([node.module] if node.module else [])])


def imported_test_modules(tree: ast.AST, package: list[str]) -> Iterator[tuple[int, str]]:
    """(line, imported name) of every test module (or test_* name) `tree` imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_test_module(alias.name):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node, package)
            if _is_test_module(module):
                yield node.lineno, module
                continue
            for alias in node.names:
                name = f"{module}.{alias.name}" if module else alias.name
                if _is_test_module(name):
                    yield node.lineno, name
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "import" in node.value
        ):
            try:
                embedded = ast.parse(textwrap.dedent(node.value))
            except SyntaxError:
                continue
            for line, name in imported_test_modules(embedded, package):
                yield node.lineno + line - 1, name


def _modules() -> list[Path]:
    return sorted(
        path
        for folder in SCANNED
        for path in (REPO / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def test_the_scan_sees_the_suite_and_the_benchmarks() -> None:
    modules = {p.relative_to(REPO).as_posix() for p in _modules()}
    assert "crypto_assets_tests/storage/test_lake.py" in modules
    assert "crypto_assets_tests/support/storage.py" in modules
    assert "benchmarks/bench_ui_partitions.py" in modules


def test_no_module_imports_a_test_module() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line}: imports {name}"
        for path in _modules()
        if path != Path(__file__).resolve()  # this file's examples below are imports on purpose
        for line, name in imported_test_modules(
            ast.parse(path.read_text(), str(path)), _package_of(path)
        )
    ]
    assert not found, "move shared code to a support module:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "import crypto_assets_tests.storage.test_lake",
        "import crypto_assets_tests.test_listing_history as history",
        "from crypto_assets_tests.storage.test_lake import W0",
        "from crypto_assets_tests.storage import test_lake",
        "from crypto_assets_tests.e2e.test_ui_screenshot import CHROMIUM as C",
        "from .test_lake import W0",
        "from . import test_lake",
        "from ..test_assets_replay import ASSETS",
        "import test_lake",
        "def f():\n    from crypto_assets_tests.test_dev_script import _free_port",
        'SCRIPT = """\nimport os\nfrom crypto_assets_tests.storage.test_lake import W0\n"""',
    ],
)
def test_every_form_of_importing_a_test_module_is_caught(source: str) -> None:
    assert list(imported_test_modules(ast.parse(source), ["crypto_assets_tests", "storage"]))


@pytest.mark.parametrize(
    "source",
    [
        "from crypto_assets_tests.support.storage import W0, posts",
        "from crypto_assets_tests.e2e.support import CHROMIUM",
        "from .conftest import FIXTURES",
        "from dagster._core.test_utils import instance_for_test",
        "import crypto_assets_tests.support.pipeline",
        'TEXT = "import this and that"',
    ],
)
def test_support_and_third_party_imports_pass(source: str) -> None:
    assert not list(imported_test_modules(ast.parse(source), ["crypto_assets_tests", "storage"]))
