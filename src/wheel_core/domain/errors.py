"""Domain errors: one type per kind of refusal, each with a message for humans.

Adapters map these to HTTP status codes and CLI exit codes in one place each;
the messages are shown to users verbatim, so they say what was wrong and what
to do instead. Each kind carries its ``code``, the name a program reads on the wire
(the ``code`` of an HTTP problem): the HTTP adapter writes ``error.code`` and the
CLI's remote client turns it back into the class with :func:`error_class`, so the
two sides cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar


class DomainError(Exception):
    """Base of every refusal the core makes on purpose."""

    code: ClassVar[str] = "refused"
    """The kind's name on the wire; a subclass without its own shares its parent's."""
    narrower_codes: ClassVar[tuple[str, ...]] = ()
    """Codes an adapter gives a narrower kind of its own (a provider's unlisted symbol is
    ``symbol_not_found``); a client that does not know that kind reads them as this class."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class ValidationError(DomainError, ValueError):
    """Input that can never be valid, whatever the state (negative strike, bad date).

    It is also a ``ValueError`` so that msgspec, decoding a command Struct whose
    ``__post_init__`` raises it, reports it as a validation error of the body.
    """

    code = "invalid"


class NotFoundError(DomainError):
    """A referenced portfolio, wheel, trade or snapshot does not exist."""

    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class ConflictError(DomainError):
    """The request is valid in itself but clashes with what is stored (duplicate name, ...)."""

    code = "conflict"


class InvalidTransitionError(ConflictError):
    """An event the wheel's current state does not allow; nothing was changed."""

    code = "invalid_transition"

    def __init__(self, state: str, action: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        options = ", ".join(allowed) if allowed else "none"
        verb = action.replace("_", " ")
        super().__init__(f"cannot {verb} while the wheel is {state}; allowed actions: {options}")
        self.state = state
        self.action = action
        self.allowed = allowed


class RuleViolationError(ConflictError):
    """A wheel rule (cash-secured, covered, date order) refuses the event; nothing was changed."""

    code = "rule_violation"


class MarketDataError(DomainError):
    """Market data is missing, stale beyond use, or the provider failed."""

    code = "market_data_unavailable"
    narrower_codes = ("symbol_not_found",)


class PricingError(DomainError):
    """Option math was asked something it cannot answer honestly (price outside bounds)."""

    code = "pricing"


def _core_kinds() -> list[type[DomainError]]:
    """:class:`DomainError` and every subclass defined in this module, parents first."""
    kinds: list[type[DomainError]] = [DomainError]
    for kind in kinds:
        kinds.extend(sub for sub in kind.__subclasses__() if sub.__module__ == __name__)
    return kinds


def _by_code() -> dict[str, type[DomainError]]:
    found: dict[str, type[DomainError]] = {}
    for kind in _core_kinds():
        own = (kind.code,) if "code" in vars(kind) else ()
        for code in (*own, *vars(kind).get("narrower_codes", ())):
            if code in found:
                raise TypeError(f"two domain errors claim the code {code!r}")
            found[code] = kind
    return found


ERROR_CLASSES: Mapping[str, type[DomainError]] = _by_code()
"""Every code on the wire → the core class that reports it (derived from the classes
above: each one's ``code`` and ``narrower_codes``)."""


def error_class(code: str) -> type[DomainError] | None:
    """The core's class for a problem ``code``; ``None`` for a code no domain error has
    (a malformed request, a storage failure)."""
    return ERROR_CLASSES.get(code)


class StorageError(Exception):
    """The database cannot take a write; nothing of the write was kept. ``cause`` says
    why: its disk is full, it is read-only, its file was deleted or replaced under the
    running process, or the disk failed.

    Not a :class:`DomainError`: that is a refusal the core makes on purpose and reports
    per wheel; this is the machine failing, for every wheel at once, until someone
    fixes the disk. Persistence adapters raise it; driving adapters map ``cause`` to
    their own code (HTTP: a 503 ``storage_<cause>``).
    """

    FULL = "full"
    READ_ONLY = "read_only"
    GONE = "gone"
    FAILED = "failed"
    CAUSES = (FULL, READ_ONLY, GONE, FAILED)

    def __init__(self, message: str, *, cause: str) -> None:
        if cause not in self.CAUSES:
            raise ValueError(f"unknown storage failure cause {cause!r}")
        super().__init__(message)
        self.cause = cause

    @property
    def message(self) -> str:
        return str(self.args[0])
