"""Re-fetch the dashboard's vendored browser assets from the npm registry and check them.

The dashboard loads nothing from the internet: every script and style it uses is
served by the process from ``src/adapters/web/static/vendor``. Which package, which
version and which files is pinned in ``vendor/assets.json`` with each file's sha256.
This script downloads each pinned tarball from registry.npmjs.org, extracts the
listed files and refuses (exit 1) when a file's hash differs from the pin, so a
vendored file can always be traced to its published release.

    uv run python scripts/fetch_assets.py           # fetch, verify, write the files
    uv run python scripts/fetch_assets.py --check   # verify the files on disk only
    uv run python scripts/fetch_assets.py --pin     # (new version) record the hashes
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import httpx

VENDOR = Path(__file__).resolve().parent.parent / "src/adapters/web/static/vendor"
LOCK = VENDOR / "assets.json"
REGISTRY = "https://registry.npmjs.org"


def tarball(name: str, version: str) -> bytes:
    """The published tarball of ``name@version``, as the registry lists it."""
    response = httpx.get(f"{REGISTRY}/{name}/{version}", timeout=30.0, follow_redirects=True)
    response.raise_for_status()
    url = response.json()["dist"]["tarball"]
    download = httpx.get(url, timeout=60.0, follow_redirects=True)
    download.raise_for_status()
    return download.content


def members(archive: bytes, wanted: list[str]) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        found = {}
        for path in wanted:
            member = tar.extractfile(path)
            if member is None:
                raise SystemExit(f"{path} is not a file in the tarball")
            found[path] = member.read()
        return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the files on disk only")
    parser.add_argument("--pin", action="store_true", help="record the fetched files' hashes")
    args = parser.parse_args()
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    failures = 0
    for name, package in lock.items():
        files = package["files"]
        if args.check:
            contents = {src: (VENDOR / spec["to"]).read_bytes() for src, spec in files.items()}
        else:
            contents = members(tarball(name, package["version"]), list(files))
        for source, spec in files.items():
            digest = hashlib.sha256(contents[source]).hexdigest()
            if args.pin:
                spec["sha256"] = digest
            elif digest != spec["sha256"]:
                print(f"{name}@{package['version']} {source}: sha256 {digest} != pinned")
                failures += 1
                continue
            if not args.check:
                target = VENDOR / spec["to"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(contents[source])
            print(f"ok  {name}@{package['version']} {spec['to']}")
    if args.pin:
        LOCK.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
