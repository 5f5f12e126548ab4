"""Parameter types shared by the controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

MAX_ID = 2**63 - 1
"""Ids are 64-bit database keys; a larger number names nothing and is refused as input
(it could not even be sent to the database)."""

Id = Annotated[int, Parameter(ge=1, le=MAX_ID)]
