"""Which process a job run belongs to, and whether that process still lives.

A run is recorded ``running`` when it starts and finished when it ends; a process
that dies in between leaves it ``running`` for good. The next scheduler to start
closes such runs, but a run still ``running`` may also belong to a live process: the
CLI's ``jobs run`` beside the server, or a second server. Each run is therefore
stamped with its owner, ``host:pid``, and only a run whose owner is known to be gone
(same host, no such process) is closed at once; others are closed once older than
their job's timeout, which no live runner lets a run outlive.
"""

from __future__ import annotations

import os
import socket


def this_process() -> str:
    """``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def is_alive(owner: str) -> bool | None:
    """Whether the owning process still runs: ``None`` when this process cannot tell
    (another host, an owner it cannot read, or a system without POSIX signals)."""
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit() or os.name != "posix":
        return None
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
