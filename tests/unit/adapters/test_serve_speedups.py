"""``serve`` leaves uvicorn's ``http`` and ``loop`` on ``auto``, which take httptools and
uvloop when they can be imported: both are dependencies (uvloop off Windows), and
together they roughly double the requests a single worker answers. If either stopped
importing, uvicorn would fall back to h11 and asyncio without a word — this says so."""

import sys

import pytest
import uvicorn


def _config() -> uvicorn.Config:
    async def app(scope: object, receive: object, send: object) -> None:  # pragma: no cover
        raise AssertionError("never called")

    config = uvicorn.Config(app, log_config=None, lifespan="off")
    config.load()
    return config


def test_http_is_parsed_by_httptools() -> None:
    assert _config().http_protocol_class.__module__ == "uvicorn.protocols.http.httptools_impl"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows")
def test_the_event_loop_is_uvloop() -> None:
    factory = _config().get_loop_factory()
    assert factory is not None
    assert factory.__module__.split(".")[0] == "uvloop"
