"""Faults of the disk under a real server: a database file that is gone, full or read-only.

- **Gone**: the test unlinks the file (keeping a hard link, so it can put the very
  same file back).
- **Full**: SQLite's ``max_page_count``, passed in the database URL
  (``?max_page_count=N``), caps the file at N pages: past it every write fails with
  ``SQLITE_FULL``, the error a full disk gives.
- **Read-only**: a file whose permissions say read-only is still written through the
  descriptors the server already holds, and root ignores permissions anyway. The
  immutable attribute (``chattr +i``) is what a read-only remount does to a running
  process: every write through an open descriptor fails, for root too. Setting it needs
  ``CAP_LINUX_IMMUTABLE`` and a file system that has it (ext4, xfs, btrfs; not tmpfs
  or overlayfs); :func:`immutable_supported` says whether this machine can.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def sqlite_url(path: Path, *, max_page_count: int | None = None) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    return url if max_page_count is None else f"{url}?max_page_count={max_page_count}"


def page_count(path: Path) -> int:
    with _read_only(path) as connection:
        pages: int = connection.execute("PRAGMA page_count").fetchone()[0]
        return pages


def portfolio_names(path: Path) -> set[str]:
    """Every portfolio stored in the file (read after the server stopped)."""
    with _read_only(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM portfolios")}


def integrity(path: Path) -> str:
    with _read_only(path) as connection:
        result: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return result


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def _chattr(flag: str, *paths: Path) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run(
        [chattr, flag, *map(str, paths)], capture_output=True, check=False, timeout=10
    )
    return done.returncode == 0


def immutable_supported(directory: Path) -> bool:
    """Can this process make a file in ``directory`` immutable (and undo it)?"""
    probe = directory / "immutable-probe"
    probe.write_bytes(b"probe")
    try:
        if not _chattr("+i", probe):
            return False
        try:
            with probe.open("ab") as handle:
                handle.write(b"x")
        except PermissionError:
            return True
        return False
    finally:
        _chattr("-i", probe)
        probe.unlink()


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """``paths`` cannot be written, through any descriptor, until the block ends."""
    present = [path for path in paths if path.exists()]
    if not _chattr("+i", *present):
        raise RuntimeError(f"chattr +i failed on {present}")
    try:
        yield
    finally:
        _chattr("-i", *present)
