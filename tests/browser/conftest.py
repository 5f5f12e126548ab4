"""Browser tests: Debian's headless Chromium, driven by Playwright, against a real
``wheel-strategy serve`` process on a free loopback port (``serve_process``).

Playwright downloads no browser: it launches ``/usr/bin/chromium`` (``.ci/run``
installs it when missing). Every request the page makes is routed through a check
that lets only the server's own origin through and records anything else, so a
test fails if a page reaches for the internet. Screenshots of each page at
1280×800 and 390×844 go to one folder per session, printed at its start. The page
helper is ``browser_visit.Visit`` in ``tests/support``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per module, never longer: sync Playwright keeps an event loop
    running in this thread while it is open, which the suite's async tests cannot share,
    so it must be closed before pytest moves on to another module."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard-screenshots")
    print(f"\nscreenshots: {folder}")
    return folder
