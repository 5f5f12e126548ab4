"""What a batch says about the one wheel or symbol it could not evaluate.

Positions, the risk monitor, snapshots, the opportunity scan and batch
recommendations go through every active wheel. One of them may fail in a way
nobody planned: a row stored before a bound existed (a strike of ``1E-400``,
an expiration in 9998) makes the arithmetic raise ``InvalidOperation`` or
``OverflowError``. That wheel is reported beside the others' results, and the
batch carries on: one bad row must never take the list or the job away from
everyone. A refusal the core makes on purpose keeps its own message; anything
else is logged with its traceback and reported by kind only (its text may hold
internals nobody should be shown).
"""

from __future__ import annotations

import logging

from wheel_core.app.views import WheelFailure
from wheel_core.domain.entities import Wheel
from wheel_core.domain.errors import DomainError

log = logging.getLogger(__name__)


def failure_text(error: Exception, subject: str) -> str:
    """Why ``subject`` (``the AAPL wheel (id 3)``) was left out of a batch, for its report."""
    if isinstance(error, DomainError):
        return error.message
    log.error("%s could not be evaluated; the batch went on without it", subject, exc_info=error)
    return (
        f"{subject} could not be evaluated ({type(error).__name__}); "
        "the error is logged with its details"
    )


def subject(wheel: Wheel) -> str:
    """How a failure names a wheel: ``the AAPL wheel (id 3)``."""
    return f"the {wheel.symbol} wheel (id {wheel.id})"


def wheel_failure(wheel: Wheel, error: Exception) -> WheelFailure:
    """The report of a wheel a batch went on without."""
    assert wheel.id is not None
    return WheelFailure(
        wheel_id=wheel.id, symbol=wheel.symbol, error=failure_text(error, subject(wheel))
    )


__all__ = ["failure_text", "subject", "wheel_failure"]
