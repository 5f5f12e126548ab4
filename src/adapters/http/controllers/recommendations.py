"""Recommendations: strikes and expirations to sell next, for one wheel or many."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from adapters.http.api_controller import ApiController
from adapters.http.dependencies import Facade
from adapters.http.params import Id
from adapters.wire import RECOMMENDATIONS_BATCH, WHEEL_RECOMMENDATIONS
from wheel_core.app import commands
from wheel_core.app.views import WheelRecommendation

MaxDte = Annotated[int, msgspec.Meta(ge=1, le=730)]


class BatchRecommendations(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which wheels to recommend for; ``wheel_ids`` left out means every active wheel that
    is idle (puts) or holding shares (calls)."""

    wheel_ids: list[commands.Id] | None = None
    max_dte: MaxDte | None = None
    """Latest expiration considered, in calendar days from today."""


class RecommendationController(ApiController):
    path = "/"
    tags = ["recommendations"]

    @get(WHEEL_RECOMMENDATIONS)
    async def recommend_for_wheel(
        self,
        service: Facade,
        wheel_id: Id,
        max_dte: Annotated[
            int | None,
            Parameter(
                ge=1,
                le=730,
                description="Latest expiration considered, in calendar days from today.",
            ),
        ] = None,
        allow_below_cost_basis: Annotated[
            bool, Parameter(description="Also offer calls struck below the shares' cost basis.")
        ] = False,
    ) -> WheelRecommendation:
        """Puts to sell on an idle wheel or covered calls on one holding shares, ranked, with
        the rules that rejected the other strikes (409 while an option is open)."""
        return await service.recommend(
            wheel_id, allow_below_cost_basis=allow_below_cost_basis, max_dte=max_dte
        )

    @post(RECOMMENDATIONS_BATCH, status_code=HTTP_200_OK)
    async def recommend_batch(
        self, service: Facade, data: BatchRecommendations
    ) -> list[WheelRecommendation]:
        """Recommendations for several wheels; a wheel that fails carries its ``error`` and
        the others still get theirs."""
        return await service.recommend_batch(data.wheel_ids, max_dte=data.max_dte)
