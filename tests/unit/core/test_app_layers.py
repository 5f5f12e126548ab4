"""The app layer's rooms build on each other, never on stubs: each module imports only
the modules below it (see :mod:`wheel_core.app.context`), none declares a method for
another to provide, and each stays small enough to hold in one's head."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import wheel_core.app

APP = Path(wheel_core.app.__file__).parent

LAYERS: list[set[str]] = [
    {"config", "views", "commands"},
    {"failures", "book"},
    {"histories"},
    {"context", "lookups"},
    {"portfolios", "bookkeeping", "positions", "recommendations"},
    {"reports"},
    {"monitoring"},
    {"facade"},
    {"service"},
    {"__init__"},
]
"""Bottom first: a module may import the app modules of the layers below its own."""

RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
MODULES = sorted(path.stem for path in APP.glob("*.py"))


def _app_imports(name: str) -> set[str]:
    tree = ast.parse((APP / f"{name}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module == "wheel_core.app":
                found |= {alias.name for alias in node.names if alias.name in RANK}
            elif node.module.startswith("wheel_core.app."):
                found.add(node.module.removeprefix("wheel_core.app.").split(".")[0])
    return found


def test_every_app_module_has_a_layer() -> None:
    assert set(MODULES) == set(RANK)


@pytest.mark.parametrize("name", MODULES)
def test_a_module_imports_only_the_layers_below_it(name: str) -> None:
    upward = {other for other in _app_imports(name) if RANK[other] >= RANK[name]}
    assert not upward, f"{name} imports {sorted(upward)}, which are not below it"


@pytest.mark.parametrize("name", MODULES)
def test_no_room_leaves_a_method_for_another_to_provide(name: str) -> None:
    assert "NotImplementedError" not in (APP / f"{name}.py").read_text()


@pytest.mark.parametrize("name", MODULES)
def test_a_module_stays_under_500_lines(name: str) -> None:
    assert len((APP / f"{name}.py").read_text().splitlines()) < 500
