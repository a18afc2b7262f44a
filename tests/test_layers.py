"""The floors of docs/architecture.md, checked on the source: nothing imports upward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ipt_fidelity"
FLOOR = {"content": 1, "agreement": 1, "config": 1, "store": 2, "training": 2}
FLOOR |= {"cli": 3, "commands": 3, "auth": 3, "demo": 3, "ui": 4}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The top-level ipt_fidelity parts and third-party roots a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                parts = list(path.relative_to(PACKAGE).parts[:-1])[: depth - node.level + 1]
                target = [*parts, *(node.module or "").split(".")] if node.module else parts
                target = target or [a.name for a in node.names]
                found.add(f"ipt_fidelity.{target[0]}" if target and target[0] else "")
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_imports_upward(path: Path) -> None:
    part = _part(path)
    if part not in FLOOR:
        return
    for name in _imports(path):
        if not name.startswith("ipt_fidelity."):
            continue
        target = name.split(".")[1]
        if target in FLOOR:
            assert FLOOR[target] <= FLOOR[part], f"{path.name} ({part}) imports {name}"
            if FLOOR[target] == FLOOR[part] == 2:
                assert not (part == "store" and target == "training"), f"{path.name}: {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_streamlit_only_in_the_ui(path: Path) -> None:
    if _part(path) == "ui":
        return
    assert not any(n == "streamlit" or n.startswith("streamlit.") for n in _imports(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_ground_floor_knows_no_database(path: Path) -> None:
    if FLOOR.get(_part(path)) != 1:
        return
    assert not any(n == "sqlalchemy" or n.startswith("sqlalchemy.") for n in _imports(path))
