"""A web page cannot drive a real ``serve`` on loopback (CSRF, DNS rebinding).

The requests are the ones a browser would send for a hostile page: the issue's
(a name rebound to 127.0.0.1, the page's Origin, a ``text/plain`` body, which
needs no preflight), the same from a page that did not rebind (only its Origin
is foreign), and from an old browser that sends no Origin. Each is refused with a
problem and stores nothing, while the CLI's kind of request (JSON, no Origin) is
served by the same process.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from serve_process import running_server

EVIL = "http://evil.example"
REBOUND = "rebind.evil.example"
PLAIN = {"Content-Type": "text/plain"}


def test_a_hostile_page_is_refused_and_stores_nothing(tmp_path: Path) -> None:
    with (
        running_server(tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=10.0) as client,
    ):
        port = server.base_url.rsplit(":", 1)[1]
        wheel = b'{"symbol":"CSRF"}'
        alert = b'{"key": "csrf", "kind": "custom", "level": "info", "message": "relayed"}'

        rebound = {**PLAIN, "Origin": EVIL, "Host": f"{REBOUND}:{port}"}
        answer = client.post("/api/v1/wheels", content=wheel, headers=rebound)
        assert (answer.status_code, code(answer)) == (400, "host_not_allowed")
        read = client.get("/api/v1/portfolios", headers={"Host": f"{REBOUND}:{port}"})
        assert (read.status_code, code(read)) == (400, "host_not_allowed")

        cross_site = {**PLAIN, "Origin": EVIL}
        for path, body in (("/api/v1/wheels", wheel), ("/api/v1/alerts", alert)):
            answer = client.post(path, content=body, headers=cross_site)
            assert (answer.status_code, code(answer)) == (403, "cross_origin_refused")
            answer = client.post(path, content=body, headers=PLAIN)  # no Origin at all
            assert (answer.status_code, code(answer)) == (415, "unsupported_media_type")

        assert client.get("/api/v1/wheels").json()["items"] == []
        assert client.get("/api/v1/alerts").json()["items"] == []
        served = client.post("/api/v1/wheels", json={"symbol": "CLI"})  # as the CLI sends it
        assert served.status_code == 201, served.text

    records = [json.loads(line) for line in server.stderr().splitlines() if line.strip()]
    statuses = [r["status"] for r in records if r["logger"] == "uvicorn.access"]
    assert statuses and max(statuses) < 500


def code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json")
    found: str = response.json()["code"]
    return found
