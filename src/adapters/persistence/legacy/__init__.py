"""Import of the legacy tool's SQLite file (``~/.wheel_strategy/trades.db``).

The old CLI kept years of real trading history in one SQLite file with REAL
amounts and naive timestamps. :func:`import_legacy` brings it into the
default portfolio without losing or bending a number: the source is backed
up and never written, amounts become exact decimals (every rounding
reported), each wheel's history is replayed and must agree with what the
file recorded, and the import commits only after reading everything back.
Running it again imports only what is new.

Modules: ``source`` (the file: recognise, back up, read), ``convert`` (rows
→ the core's types), ``plan`` (what to import; replay checks), ``store``
(target reads and writes), ``verify`` (read-back), ``importer`` (the
whole sequence), ``report`` (what the user is told).
"""

from adapters.persistence.legacy.importer import import_legacy
from adapters.persistence.legacy.report import (
    Finding,
    FindingKind,
    LegacyImportError,
    LegacyImportReport,
    RoundingAdjustment,
)

__all__ = [
    "Finding",
    "FindingKind",
    "LegacyImportError",
    "LegacyImportReport",
    "RoundingAdjustment",
    "import_legacy",
]
