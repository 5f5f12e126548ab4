"""Every source module stays small enough to hold in one's head (issue #15: under 500
lines). A file that grows past it is split by concern, as the app layer, the market
data providers and the test harness were; this says which file grew."""

from pathlib import Path

import pytest

SRC = Path(__file__).parents[3] / "src"
LIMIT = 500
MODULES = sorted(SRC.rglob("*.py"))


def test_the_source_tree_is_found() -> None:
    assert len(MODULES) > 100, SRC


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SRC)))
def test_a_source_module_stays_under_500_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= LIMIT, f"{path.relative_to(SRC)} has {lines} lines; split it by concern"
