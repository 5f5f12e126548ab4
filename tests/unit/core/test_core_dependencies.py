"""The core stays pure: the standard library and msgspec, nothing else (DESIGN §1)."""

import ast
import subprocess
import sys
from pathlib import Path

import wheel_core

CORE = Path(wheel_core.__file__).parent
HARNESS = CORE / "testing"
ALLOWED_THIRD_PARTY = {"msgspec"}
HARNESS_EXTRAS = {"hypothesis", "pytest"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def foreign_imports(path: Path, extra: set[str]) -> set[str]:
    allowed = set(sys.stdlib_module_names) | ALLOWED_THIRD_PARTY | {"wheel_core"} | extra
    return imported_roots(path) - allowed


def test_core_modules_import_only_stdlib_and_msgspec() -> None:
    offenders = {
        str(path.relative_to(CORE)): foreign
        for path in CORE.rglob("*.py")
        if HARNESS not in path.parents
        if (foreign := foreign_imports(path, set()))
    }
    assert offenders == {}


def test_the_harness_adds_only_hypothesis_and_pytest() -> None:
    offenders = {
        str(path.relative_to(CORE)): foreign
        for path in HARNESS.rglob("*.py")
        if (foreign := foreign_imports(path, HARNESS_EXTRAS))
    }
    assert offenders == {}


def test_importing_wheel_core_loads_no_other_third_party_module() -> None:
    # msgspec may pull optional helpers (typing_extensions when installed): what it loads
    # on its own is its business; everything wheel_core adds must be stdlib or wheel_core
    # (_sysconfigdata is the stdlib's build-time data module, named per platform).
    probe = (
        "import sys, msgspec\n"
        "before = set(sys.modules)\n"
        "import wheel_core, wheel_core.app, wheel_core.pricing, wheel_core.recommend\n"
        "added = {name.split('.')[0] for name in set(sys.modules) - before}\n"
        "stdlib = set(sys.stdlib_module_names)\n"
        "print('\\n'.join(sorted(m for m in added - stdlib if not m.startswith('_sysconfigdata'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    assert loaded == ["wheel_core"]


def test_importing_wheel_core_does_not_load_the_harness() -> None:
    probe = "import sys, wheel_core.app; print(sorted(m for m in sys.modules if 'testing' in m))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"
