"""A real process's stderr, read as it is written, and waited on without sleeping.

:class:`LogWatch` drains a child's stderr pipe in a thread of its own (so the pipe never
fills and blocks the child) and keeps every line; :meth:`LogWatch.wait_for` blocks on a
condition the reader signals with each new line, up to a bounded time — a test waits
for what the process says it did (``… leads the scheduler``), never a fixed time.
"""

from __future__ import annotations

import re
import subprocess
import threading


class LogWatch:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None, "start the process with stderr=subprocess.PIPE"
        self._stream = process.stderr
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self._reader = threading.Thread(target=self._read, name="log-watch", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in iter(self._stream.readline, b""):
            with self._changed:
                self._lines.append(raw.decode("utf-8", errors="replace"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def count(self, pattern: str) -> int:
        """Lines so far that hold ``pattern`` (a regular expression)."""
        with self._changed:
            return sum(1 for line in self._lines if re.search(pattern, line))

    def wait_for(self, pattern: str, timeout: float, *, after: int = 0) -> re.Match[str] | None:
        """The first match of ``pattern`` in a line beyond the first ``after`` lines that
        hold it; ``None`` when the process ended or ``timeout`` seconds passed first."""

        def found() -> re.Match[str] | None:
            seen = 0
            for line in self._lines:
                match = re.search(pattern, line)
                if match is not None:
                    seen += 1
                    if seen > after:
                        return match
            return None

        with self._changed:
            self._changed.wait_for(lambda: found() is not None or self._ended, timeout)
            return found()

    def close(self) -> None:
        """After the process ended: the reader reaches the end of the pipe and stops."""
        self._reader.join(timeout=10)
