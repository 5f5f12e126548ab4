"""The ``wheel-strategy`` Cyclopts app: the root every command is registered on.

Kept deliberately small: it names the program, its version and its help, and
registers the commands. Each command lives in its own module and defers its
heavy imports to its body, so building this app (and printing ``--help``) never
imports the web framework, the ORM or the ASGI server.
"""

from __future__ import annotations

from collections.abc import Sequence

from cyclopts import App

from adapters.cli.serve import serve
from adapters.version import VERSION

app = App(
    name="wheel-strategy",
    help=(
        "Track, recommend and monitor the options wheel: cash-secured puts, "
        "assignment, covered calls.\n\n"
        "Example: `wheel-strategy serve --port 8000`, then open http://127.0.0.1:8000/docs"
    ),
    version=VERSION,
    help_format="markdown",
)
app.command(serve, name="serve")


def main(argv: Sequence[str] | None = None) -> None:
    """The console script's entry point; ``argv`` (without the program name) is for tests."""
    app(list(argv) if argv is not None else None)


if __name__ == "__main__":
    main()
