"""The instant the API and CLI integration tests stand at: Tuesday 2026-11-24, 10:00 in
New York, a trading day with the market open.

A module of its own (not ``conftest``) so that test files can import it whatever
other directories' ``conftest`` modules pytest has loaded first.
"""

from datetime import UTC, datetime

API_NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
