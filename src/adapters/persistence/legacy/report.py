"""What a legacy import did, what it noticed, and why it refused.

The report is a plain msgspec Struct so the CLI can print it as a table or
as JSON and the HTTP adapter can return it unchanged. Everything a user
might want to check by hand against the old tool is in it: the backups, the
counts, the premium per symbol, every amount that had to be rounded and
every quirk of the file that was taken in rather than refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

import msgspec

from wheel_core.domain.errors import ValidationError


class FindingKind(StrEnum):
    """Quirks of a legacy file that were imported as they are, and why they matter."""

    OPENED_AFTER_EXPIRATION = "opened_after_expiration"
    """The trade was recorded after its option expired (a backfill)."""
    OPENED_AFTER_CLOSE = "opened_after_close"
    """The trade was recorded after it closed; it takes its place in history at its close."""
    CLOSED_AT_MISSING = "closed_at_missing"
    """A trade that ended has no closing time; the expiration's 16:00 New York close is used."""
    CLOSED_AT_ON_OPEN_TRADE = "closed_at_on_open_trade"
    """An open trade carries a closing time; it is dropped (an open trade has none)."""
    TOTAL_PREMIUM_MISMATCH = "total_premium_mismatch"
    """The recorded total premium differs from premium × 100 × contracts by more than a cent."""
    IMPORTED_SHARES = "imported_shares"
    """Shares held without an assignment explaining them: an imported share position."""
    IMPORTED_COST_UNKNOWN = "imported_cost_unknown"
    """The legacy file lost the imported shares' cost (it forgets it on call-away)."""
    CHANGED_SINCE_IMPORT = "changed_since_import"
    """A row imported by an earlier run differs now; the stored row was left as it is."""


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the legacy file that was imported with a caveat."""

    table: str
    row_id: int
    kind: FindingKind
    message: str


class RoundingAdjustment(msgspec.Struct, frozen=True, kw_only=True):
    """A legacy REAL amount that was not a whole number of cents, and what was stored."""

    table: str
    row_id: int
    column: str
    original: str
    """The float as the legacy file holds it (its shortest exact text, ``repr``)."""
    stored: Decimal


class LegacyImportReport(msgspec.Struct, kw_only=True):
    """The outcome of one :func:`~adapters.persistence.legacy.import_legacy` run."""

    source: str
    source_backup: str
    target_backup: str | None
    """``None`` when nothing was written or the target is not a SQLite file."""
    wheels_imported: int
    wheels_skipped: int
    trades_imported: int
    trades_skipped: int
    share_moves_imported: int
    snapshots_imported: int
    snapshots_skipped: int
    premium_by_symbol: dict[str, Decimal]
    """Σ premium × 100 × contracts per symbol over every trade in the legacy file."""
    rounding_adjustments: list[RoundingAdjustment]
    findings: list[Finding]
    naive_timestamps: int
    """How many legacy timestamps had no timezone; they were read in ``assumed_timezone``."""
    assumed_timezone: str
    already_imported: bool
    """True when every row of the file was already present, so nothing was imported."""


class LegacyImportError(ValidationError):
    """The legacy file was refused, or the import was rolled back; nothing was written.

    ``problems`` lists every difference found when validation failed, so a
    user sees all of them at once rather than one per attempt.
    """

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        details = "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(f"{message}{':' if details else ''}{details}")
