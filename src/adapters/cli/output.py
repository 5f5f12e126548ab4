"""Where a command's answer goes: the API's JSON with ``--json``, rich tables without.

``--json`` prints exactly what the server sends for the same operation: the same
Structs, encoded with Decimals as JSON numbers of the same digits, one document
and a newline. Human output goes through one rich console; when stdout is not a
terminal it is plain text at a fixed width, so piped output is the same on every
machine. Progress bars go to stderr, and only on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

import msgspec
from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adapters.cli.options import GlobalOptions

T = TypeVar("T")

PIPED_WIDTH = 160
"""Columns of human output when stdout is not a terminal: wide enough that no table wraps."""

_JSON = msgspec.json.Encoder(decimal_format="number")


def json_text(value: Any) -> str:
    """The API's JSON for ``value``."""
    return _JSON.encode(value).decode()


def console_for(file: TextIO) -> Console:
    """Markup is off: symbols, names and descriptions are printed as typed, brackets too."""
    console = Console(file=file, highlight=False, markup=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(
            file=file, highlight=False, markup=False, width=PIPED_WIDTH, color_system=None
        )
    return console


class Output:
    def __init__(self, options: GlobalOptions) -> None:
        self.json = options.json
        self.console = console_for(sys.stdout)

    def result(
        self, value: T, human: Callable[[T], RenderableType | Iterable[RenderableType]]
    ) -> None:
        """Print ``value`` as JSON, or as what ``human`` makes of it."""
        if self.json:
            sys.stdout.write(json_text(value) + "\n")
            return
        rendered = human(value)
        if isinstance(rendered, str) or not isinstance(rendered, Iterable):
            rendered = [rendered]
        for part in rendered:
            self.console.print(part)

    def text(self, lines: Iterable[str]) -> None:
        """Raw text (a CSV export), written as it came."""
        for line in lines:
            sys.stdout.write(line)

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[], None]]:
        """A bar on stderr while the block runs; yields the function that advances it."""
        err = Console(file=sys.stderr)
        if self.json or not err.is_terminal:
            yield lambda: None
            return
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda: bar.advance(task)
