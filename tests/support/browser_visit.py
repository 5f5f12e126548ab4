"""A dashboard page in a fresh Playwright browser context, kept to one server.

Every request the page makes goes through :meth:`Visit._only_local`: the server's own
origin passes, anything else is aborted and recorded in ``foreign``, so a test can
assert that no request left the host. :meth:`Visit.shoot` screenshots the page at
1280×800 and 390×844 (and once in the dark theme) into the session's folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, Route

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


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
