"""The README's harness example is real: run its code block as a test module."""

import re
from pathlib import Path

import pytest

from wheel_core.testing.contracts.unit_of_work import UnitOfWorkContract

README = Path(__file__).parents[3] / "README.md"

pytest_plugins = ["pytester"]


def harness_example() -> str:
    blocks = re.findall(r"```python\n(# test_my_adapter\.py.*?)```", README.read_text(), re.S)
    assert len(blocks) == 1, "the README has one harness example"
    return blocks[0]


def test_readme_harness_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_my_adapter=harness_example())
    pytester.makeini(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    contract_tests = [name for name in dir(UnitOfWorkContract) if name.startswith("test_")]
    # every contract test, the stateful machine, and the chain property
    result.assert_outcomes(passed=len(contract_tests) + 2)
