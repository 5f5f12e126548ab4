"""The fake ``Notifier``: keeps every alert instead of delivering it."""

from __future__ import annotations

from wheel_core.domain.entities import (
    Alert,
)


class RecordingNotifier:
    """Keeps every alert it is asked to deliver."""

    def __init__(self) -> None:
        self.sent: list[Alert] = []

    async def notify(self, alert: Alert) -> None:
        self.sent.append(alert)
