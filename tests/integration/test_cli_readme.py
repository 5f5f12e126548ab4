"""The README's worked example is real: its commands run, and print its figures.

The commands are read from the README's worked-example block and run in direct
mode on a fake clock; before each ``expire``, the clock moves to the evening of
the expiration recorded last (the core refuses to expire an option before then).
Every line of the README's output block must appear in what they print.
"""

from __future__ import annotations

import re
import shlex
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from cli_harness import Cli, isolate, on_clock

from wheel_core.testing.fakes import FakeClock

README = Path(__file__).parents[2] / "README.md"
AFTER_THE_CLOSE = time(21, 30)  # UTC: 16:30 in New York in winter


def worked_example() -> tuple[list[list[str]], list[str]]:
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- worked-example:.*?-->\n```sh\n(.*?)```\n\n```text\n(.*?)```", text, re.S
    )
    assert found, "the README has a worked-example block followed by its output"
    commands = [
        shlex.split(line.split("#")[0])[1:]
        for line in found.group(1).splitlines()
        if line.startswith("wheel-strategy ")
    ]
    return commands, found.group(2).splitlines()


def test_the_readme_worked_example_prints_its_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolate(tmp_path, monkeypatch)
    clock = FakeClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    on_clock(monkeypatch, clock)
    cli = Cli(capsys, ["--db", str(tmp_path / "readme.db")], "direct")
    commands, expected = worked_example()
    assert [c[0] for c in commands] == [
        "init",
        "record",
        "expire",
        "record",
        "expire",
        "performance",
    ]

    printed = []
    expiration: date | None = None
    for argv in commands:
        if argv[0] == "record":
            expiration = date.fromisoformat(argv[argv.index("--expiration") + 1])
        if argv[0] == "expire":
            assert expiration is not None
            clock.set(datetime.combine(expiration, AFTER_THE_CLOSE, tzinfo=UTC))
        printed.append(cli.ok(*argv))

    output = "".join(printed)
    for line in expected:
        assert line in output, line
