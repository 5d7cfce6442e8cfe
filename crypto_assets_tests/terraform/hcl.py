"""Read terraform/ with python-hcl2 into plain dicts the tests can query."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import hcl2
from hcl2 import SerializationOptions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = PROJECT_ROOT / "terraform"
ENVIRONMENTS = ("dev", "prod")
_OPTIONS = SerializationOptions(
    with_comments=False, explicit_blocks=False, strip_string_quotes=True
)
_REFERENCE = re.compile(r"\$\{(.+)\}")


@cache
def load_config(directory: Path) -> dict[str, list[Any]]:
    """All top-level blocks of the .tf files of one configuration directory, merged."""
    merged: dict[str, list[Any]] = {}
    files = sorted(directory.glob("*.tf"))
    assert files, f"no .tf files in {directory}"
    for path in files:
        with path.open() as handle:
            parsed = hcl2.load(handle, serialization_options=_OPTIONS)
        for key, blocks in parsed.items():
            merged.setdefault(key, []).extend(blocks)
    return merged


def environment(name: str) -> dict[str, list[Any]]:
    return load_config(environment_dir(name))


def module(name: str) -> dict[str, list[Any]]:
    return load_config(TERRAFORM_DIR / "modules" / name)


def module_dir(name: str) -> Path:
    return TERRAFORM_DIR / "modules" / name


def environment_dir(name: str) -> Path:
    return TERRAFORM_DIR / "environments" / name


def call_target(directory: Path, call: dict[str, Any]) -> Path:
    """The directory a module call with a local source (../x, ./x) points at."""
    source = call["source"]
    assert source.startswith(("./", "../")), f"{directory}: not a local module source {source!r}"
    target = (directory / source).resolve()
    assert target.is_dir(), f"{directory}: module source {source!r} does not exist"
    return target


def config_dirs() -> list[Path]:
    """Every directory under terraform/ holding .tf files (modules, environments, bootstrap)."""
    return sorted({p.parent for p in TERRAFORM_DIR.rglob("*.tf") if ".terraform" not in p.parts})


def labelled(config: dict[str, list[Any]], kind: str, type_: str | None = None) -> dict:
    """Blocks with labels: kind=resource/data -> {type: {name: body}} narrowed to type_;
    kind=output/variable/module -> {name: body}."""
    found: dict[str, Any] = {}
    for block in config.get(kind, []):
        for label, body in block.items():
            if type_ is None:
                found[label] = body
            elif label == type_:
                found.update(body)
    return found


def locals_of(config: dict[str, list[Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in config.get("locals", []):
        merged.update(block)
    return merged


def single(value: Any) -> Any:
    """A nested block parses as a one-element list of dicts."""
    if isinstance(value, list):
        assert len(value) == 1, f"expected one block, got {value!r}"
        return value[0]
    return value


def statements(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The statement blocks of an aws_iam_policy_document, static or dynamic."""
    yield from document.get("statement", [])
    for dynamic in document.get("dynamic", []):
        if "statement" in dynamic:
            yield single(dynamic["statement"]["content"])


def reference(expression: Any) -> str:
    """The inside of a ${...} expression, or the literal itself."""
    if isinstance(expression, str):
        match = _REFERENCE.fullmatch(expression)
        if match:
            return match.group(1)
    return str(expression)


@cache
def load_outputs_script() -> ModuleType:
    """scripts/terraform_outputs_to_env.py as a module (scripts/ is not a package)."""
    path = PROJECT_ROOT / "scripts" / "terraform_outputs_to_env.py"
    spec = importlib.util.spec_from_file_location("terraform_outputs_to_env", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
