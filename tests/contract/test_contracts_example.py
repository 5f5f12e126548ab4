"""The SQL example in ``wheel_core.testing.contracts``' docstring is real: run it as a test module.

It once built ``SqlUnitOfWorkFactory`` from a URL, which the constructor does not take;
running it keeps the example an adapter author copies true.
"""

import re
import textwrap

import pytest

import wheel_core.testing.contracts as contracts
from wheel_core.testing.contracts.unit_of_work import UnitOfWorkContract

pytest_plugins = ["pytester"]


def sql_example() -> str:
    doc = contracts.__doc__ or ""
    found = re.search(r"::\n\n((?:    .*\n|\n)+?)\S", doc)
    assert found, "the package docstring holds one indented example"
    return textwrap.dedent(found.group(1))


def test_the_sql_unit_of_work_example_passes_the_contract(pytester: pytest.Pytester) -> None:
    example = sql_example()
    assert "SqlUnitOfWorkFactory(engine)" in example
    pytester.makepyfile(test_sql_example=example)
    pytester.makeini(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    contract_tests = [name for name in dir(UnitOfWorkContract) if name.startswith("test_")]
    result.assert_outcomes(passed=len(contract_tests))
