"""Run the ``wheel-strategy`` CLI in-process, in direct or remote mode, on one fake clock.

Direct mode opens its own SQLite file, as the real command does, through a container
whose clock is the test's :class:`FakeClock`. Remote mode talks HTTP to a real uvicorn
server on a free 127.0.0.1 port, running the real app in a thread of this process over
another SQLite file — in-process so that the server reads the same fake clock (a
``serve`` subprocess would read the machine's clock; ``tests/e2e`` drives one of those
with commands whose output does not depend on the time). The same argv run in both
modes must print the same bytes.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from dependency_injector import providers

import adapters.container as container_module
from adapters.cli.main import main
from adapters.container import Container
from adapters.http.app import create_app
from adapters.settings import Layer, convert, merge
from wheel_core.testing.fakes import FakeClock

Step = tuple[str, ...] | Callable[[FakeClock], None]
"""A command line, or a move of the clock between commands."""


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


class Cli:
    """``cli("list", "--json")`` runs the command and returns its exit code and output."""

    def __init__(self, capsys: pytest.CaptureFixture[str], leading: list[str], mode: str) -> None:
        self._capsys = capsys
        self._leading = leading
        self.mode = mode

    def __call__(self, *argv: str) -> Result:
        self._capsys.readouterr()
        try:
            main([*self._leading, *argv])
            code = 0
        except SystemExit as exit_info:
            code = 0 if exit_info.code is None else int(exit_info.code)
        captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *argv: str) -> str:
        """The output of a command that must succeed."""
        result = self(*argv)
        assert result.code == 0, (argv, result)
        return result.out


def isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real config, no ``WHEEL_*`` variables from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("WHEEL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def on_clock(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    """Every container the CLI builds in direct mode reads ``clock``."""
    build = container_module.build_container

    def build_on_clock(settings: Any) -> Container:
        container = build(settings)
        container.clock.override(providers.Object(clock))
        return container

    monkeypatch.setattr(container_module, "build_container", build_on_clock)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


@contextmanager
def serving(database: Path, clock: FakeClock, settings: Layer | None = None) -> Iterator[str]:
    """The real app on uvicorn at 127.0.0.1:<free port>; yields its URL. ``settings``:
    more of the server's settings (a layer), on top of its database and no scheduler."""
    layer = {"database": {"url": str(database)}, "server": {"scheduler": False}}
    container = container_module.build_container(convert(merge(layer, settings or {})))
    container.clock.override(providers.Object(clock))
    port = free_port()
    config = uvicorn.Config(
        create_app(container), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = _Server(config)
    thread = threading.Thread(target=server.run, name="cli-test-server", daemon=True)
    thread.start()
    try:
        if not server.ready.wait(timeout=60) or not server.started:
            raise RuntimeError("the test server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)


def both(modes: dict[str, Cli], clock: FakeClock, steps: list[Step]) -> list[Result]:
    """Run ``steps`` in each mode from the same start; assert equal results; return them."""
    start = clock.now()
    results: dict[str, list[Result]] = {}
    for name, cli in modes.items():
        clock.set(start)
        results[name] = []
        for step in steps:
            if callable(step):
                step(clock)
            else:
                results[name].append(cli(*step))
    for direct, remote, step in zip(
        results["direct"], results["remote"], [s for s in steps if not callable(s)], strict=True
    ):
        assert direct == remote, step
    return results["direct"]


@contextmanager
def both_modes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
) -> Iterator[dict[str, Cli]]:
    """A ``direct`` CLI on its own SQLite file and a ``remote`` one on a fresh server,
    both in an isolated ``tmp_path`` on ``clock``: what :func:`both` runs steps in."""
    isolate(tmp_path, monkeypatch)
    on_clock(monkeypatch, clock)
    with serving(tmp_path / "server.db", clock) as url:
        yield {
            "direct": Cli(capsys, ["--db", str(tmp_path / "direct.db")], "direct"),
            "remote": Cli(capsys, ["--api-url", url], "remote"),
        }
