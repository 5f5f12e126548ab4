"""Run a command's async work and turn every failure into one line and an exit code.

Exit codes: 0 done, 1 the request was refused (a domain rule, a missing wheel, a
server error), 2 the command line or settings cannot be used, 3 the server is
unreachable in remote mode, 130 interrupted. The traceback is printed only with
``--verbose``; without it, an unexpected error still says what it was.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

from adapters.cli.options import GlobalOptions, UsageError

if TYPE_CHECKING:
    from wheel_core.app.facade import WheelFacade

T = TypeVar("T")

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A refusal the CLI itself makes (e.g. no open option to expire), with its fix."""


def run(options: GlobalOptions, work: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_awaited(work))
    except KeyboardInterrupt:
        _fail(options, "interrupted", EXIT_INTERRUPTED)
    except Exception as error:
        message, code = describe(error)
        _fail(options, message, code)


async def _awaited(work: Callable[[], Awaitable[T]]) -> T:
    return await work()


def describe(error: BaseException) -> tuple[str, int]:
    """The line to print for ``error`` and the exit code it earns."""
    from adapters.cli.remote import RemoteAuthError, RemoteServerError, ServerUnreachableError
    from adapters.settings import SettingsError
    from wheel_core.domain.errors import DomainError, StorageError

    if isinstance(error, ServerUnreachableError):
        return str(error), EXIT_UNREACHABLE
    if isinstance(error, UsageError | SettingsError):
        return str(error), EXIT_USAGE
    if isinstance(error, DomainError | StorageError):
        return error.message, EXIT_REFUSED
    if isinstance(error, CommandError | RemoteAuthError | RemoteServerError):
        return str(error), EXIT_REFUSED
    detail = str(error) or "no message"
    return (
        f"unexpected {type(error).__name__}: {detail} (run with --verbose for the traceback)",
        EXIT_REFUSED,
    )


def _fail(options: GlobalOptions, message: str, code: int) -> NoReturn:
    if options.verbose and code not in (EXIT_USAGE, EXIT_INTERRUPTED):
        traceback.print_exc(file=sys.stderr)
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def run_with(
    options: GlobalOptions,
    work: Callable[[WheelFacade], Awaitable[T]],
    *,
    reads_only: bool = False,
) -> T:
    """``work`` on the facade of the mode the options choose, with ``run``'s error handling.
    ``reads_only``: ``work`` only reads, so direct mode opens the database without a
    write transaction (:func:`adapters.cli.session.open_facade`)."""
    from adapters.cli.session import open_facade

    async def opened() -> T:
        async with open_facade(options, reads_only=reads_only) as facade:
            return await work(facade)

    return run(options, opened)


def refuse_usage(message: str) -> NoReturn:
    """A flag combination the command cannot use: one line and exit code 2, before any work."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
