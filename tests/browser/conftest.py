"""Browser tests: Debian's headless Chromium, driven by Playwright, against a real
``wheel-strategy serve`` process on a free loopback port (``serve_process``).

Playwright downloads no browser: it launches ``/usr/bin/chromium`` (``.ci/run``
installs it when missing). Every request the page makes is routed through a check
that lets only the server's own origin through and records anything else, so a
test fails if a page reaches for the internet. Screenshots of each page at
1280×800 and 390×844 go to one folder per session, printed at its start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
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


class Visit:
    """A page in a fresh browser context, kept to ``base_url``; ``foreign`` lists any
    request it tried to make elsewhere."""

    def __init__(self, browser: Browser, base_url: str, screenshots: Path) -> None:
        self.base_url, self.folder = base_url, screenshots
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.foreign: list[str] = []
        self.context.route("**/*", self._only_local)
        self.page: Page = self.context.new_page()

    def _only_local(self, route: Route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def shoot(self, name: str) -> None:
        """The current page at each viewport, full length, and once in the dark theme."""
        for label, (width, height) in VIEWPORTS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.screenshot(path=self.folder / f"{name}-{label}.png", full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 800})
        self.page.emulate_media(color_scheme="dark")
        self.page.screenshot(path=self.folder / f"{name}-desktop-dark.png", full_page=True)
        self.page.emulate_media(color_scheme="light")

    def wait_for_path(self, pattern: str) -> None:
        self.page.wait_for_url(re.compile(re.escape(self.base_url) + pattern))

    def close(self) -> None:
        self.context.close()
