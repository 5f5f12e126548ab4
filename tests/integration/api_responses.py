"""What the HTTP tests check on every answer: exact JSON money and problem details."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

API = "/api/v1"
PROBLEM = "application/problem+json"


def body(response: Any) -> Any:
    """The JSON body with every non-integer number as an exact ``Decimal``."""
    return json.loads(response.text, parse_float=Decimal)


def assert_problem(response: Any, status: int, detail: str = "") -> dict[str, Any]:
    """An RFC 9457 answer with ``status``, whose ``detail`` says something (containing
    ``detail`` when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    assert detail in problem["detail"]
    return problem
