"""Plugin code runs in a thread of its own, with an event loop of its own.

Why a thread and not a subprocess: a plugin's context is the server's own services
(the facade over the unit of work, market data with its cache and rate limit, the
notifier). A thread hands them over as they are, with their coroutines marshalled back
to the server's loop (:class:`ServerLoopProxy`), so a plugin sees one cache, one rate
limit and one database, and a run costs a thread (about 0.1 ms), not a process that
imports the application (about a second) and a protocol for every call it makes. What
a thread gives: an exception of any kind — ``SystemExit``, ``KeyboardInterrupt``,
``GeneratorExit`` — ends only the plugin's own loop and comes back as a failed run
(:class:`PluginExitError`); a plugin that blocks (``time.sleep`` in ``async
execute``, a synchronous HTTP call) blocks only its thread, so the server's loop keeps
answering and the run's timeout fires on time. What a thread cannot give: it cannot be
killed. A run past its timeout is cancelled in its own loop, which stops a plugin that
awaits; one that blocks synchronously keeps its (daemon) thread until it returns, and
the host refuses to start it again meanwhile. ``os._exit``, a crash in C code or a
plugin that eats the memory still take the process down: only a subprocess would stop
those, at the price above.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, TypeVar

from adapters.scheduler.jobs import JobFailedError

__all__ = ["CANCEL_GRACE", "PluginExitError", "PluginThread", "ServerLoopProxy"]

log = logging.getLogger(__name__)

T = TypeVar("T")

CANCEL_GRACE = 1.0
"""Seconds a cancelled run waits for its thread to end (a plugin that awaits ends at
once; one that blocks does not, and is left to its daemon thread)."""


class PluginExitError(JobFailedError):
    """Plugin code raised what would stop the server's loop or the process
    (``SystemExit``, ``KeyboardInterrupt``, ``GeneratorExit``, a ``CancelledError`` the
    host did not ask for): carried back as an ordinary failure, named by the original."""

    def __init__(self, error: BaseException) -> None:
        text = str(error)
        super().__init__(f"{type(error).__name__}: {text}" if text else type(error).__name__)
        self.original = error


class ServerLoopProxy:
    """``target`` as plugin code in another thread may use it: a coroutine that one of its
    methods returns runs on the server's loop (``run_coroutine_threadsafe``) and is
    awaited in the plugin's loop; cancelling that await cancels it on the server's loop
    too. Whether the method is an ``async def`` or wrapped by a decorator does not matter:
    what it returns decides.

    Everything else (attributes, what plain methods return) is handed over as it is.
    """

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value
        loop = self._loop

        @functools.wraps(value)
        def called(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            return _on_server_loop(result, loop) if inspect.iscoroutine(result) else result

        return called

    def __repr__(self) -> str:
        return f"ServerLoopProxy({self._target!r})"


async def _on_server_loop(coroutine: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop) -> T:
    future = asyncio.run_coroutine_threadsafe(coroutine, loop)
    return await asyncio.wrap_future(future)


class PluginThread(Generic[T]):
    """One call of plugin code (``execute`` or a hook) in a daemon thread with its own
    loop; :meth:`result` awaits it on the server's loop."""

    def __init__(self, label: str, call: Callable[[], Awaitable[T]]) -> None:
        self.label = label
        self._call = call
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Future[T] | None = None
        self._cancelled = False
        self._finished = False
        self.abandoned = False
        """Cancelled (timed out, or the scheduler stopped) and given up on."""
        self._thread = threading.Thread(target=self._run, name=label, daemon=True)
        self._server: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Future[T] | None = None

    @property
    def alive(self) -> bool:
        """Whether the call still runs (a plugin blocked past its timeout); its loop may
        take a moment more to close once the call has ended."""
        return self._thread.is_alive() and not self._finished

    async def result(self, grace: float = CANCEL_GRACE) -> T:
        """Start the thread and return what the call returns, or raise what it raised
        (an exception that is not an ``Exception`` as :class:`PluginExitError`).

        Cancelled (the run's timeout, the scheduler's stop): the call is cancelled in its
        own loop and given ``grace`` seconds to end; then the cancellation goes on.
        """
        self._server = asyncio.get_running_loop()
        self._done = done = self._server.create_future()
        self._thread.start()
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            self._cancel()
            self.abandoned = True
            await asyncio.wait([done], timeout=grace)
            if self.alive:
                log.error("%s did not stop when cancelled; its thread is left running", self.label)
            raise

    def _cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # its loop just closed: nothing to cancel
                loop.call_soon_threadsafe(task.cancel)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        outcome: tuple[bool, Any]
        try:
            with self._lock:
                self._loop = loop
                self._task = task = loop.create_task(_awaited(self._call))
                if self._cancelled:
                    task.cancel()
            outcome = (True, loop.run_until_complete(task))
        except BaseException as error:  # all of it: this thread is the plugin's, not ours
            outcome = (False, error)
        self._finished = True
        try:
            if self._server is not None:
                self._server.call_soon_threadsafe(self._deliver, outcome)
        except RuntimeError:  # the server's loop closed meanwhile: nobody waits
            pass
        finally:
            _close(loop)

    def _deliver(self, outcome: tuple[bool, Any]) -> None:
        done = self._done
        if done is None or done.done():
            return
        returned, value = outcome
        if returned:
            done.set_result(value)
        elif isinstance(value, asyncio.CancelledError) and self._cancelled:
            done.cancel()
        elif isinstance(value, Exception):
            done.set_exception(value)
        else:
            done.set_exception(PluginExitError(value))


async def _awaited(call: Callable[[], Awaitable[T]]) -> T:
    return await call()


def _close(loop: asyncio.AbstractEventLoop) -> None:
    """Close the plugin's loop, cancelling what the plugin left running in it."""
    try:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    except BaseException:
        log.exception("a plugin's loop did not close cleanly")
    finally:
        loop.close()
