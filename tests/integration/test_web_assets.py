"""The dashboard loads nothing from the internet: every vendored asset is the pinned
release's file (its sha256 as ``assets.json`` records it) with its licence beside it,
and no template points anywhere but this server."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import adapters.web

WEB = Path(adapters.web.__file__).parent
VENDOR = WEB / "static" / "vendor"


def test_each_vendored_file_is_the_pinned_releases() -> None:
    lock = json.loads((VENDOR / "assets.json").read_text(encoding="utf-8"))
    assert set(lock) == {"htmx.org", "uplot"}
    for name, package in lock.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"]), name
        targets = [spec["to"] for spec in package["files"].values()]
        assert any(t.endswith("/LICENSE") for t in targets), f"{name} has no licence beside it"
        for spec in package["files"].values():
            digest = hashlib.sha256((VENDOR / spec["to"]).read_bytes()).hexdigest()
            pinned = f"{name}@{package['version']}"
            assert digest == spec["sha256"], f"{spec['to']} differs from {pinned}"


def test_templates_load_nothing_from_elsewhere() -> None:
    for template in (WEB / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["'](https?:)?//""", text), template.name
        assert "<script>" not in text and "style=" not in text, template.name
