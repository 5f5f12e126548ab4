"""The contract suite of the ``Notifier`` port."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wheel_core.domain.entities import Alert
from wheel_core.domain.enums import RiskLevel
from wheel_core.ports import Notifier
from wheel_core.testing.contracts.records import T0


@pytest.mark.asyncio
class NotifierContract:
    """Provide ``notifier``; ``delivered`` returns what reached the destination, if observable."""

    @pytest.fixture
    def notifier(self) -> Notifier:
        raise NotImplementedError("provide a notifier fixture for your adapter")

    @pytest.fixture
    def delivered(self) -> Callable[[], list[Alert]] | None:
        return None

    async def test_notify_delivers_the_alert(
        self, notifier: Notifier, delivered: Callable[[], list[Alert]] | None
    ) -> None:
        alert = Alert(
            kind="itm",
            key="itm:7",
            message="KO call is ITM",
            level=RiskLevel.HIGH,
            created_at=T0,
            wheel_id=1,
            trade_id=7,
        )
        await notifier.notify(alert)
        if delivered is not None:
            assert alert in delivered()
