"""The facade as the dashboard's handlers ask for it.

Handlers take the app's ``service`` dependency typed as the driving port, never the
concrete service. Litestar checks a dependency's value against its annotation with
``isinstance``, which a plain Protocol refuses, so this is the same Protocol made
checkable at run time.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from wheel_core.app.facade import WheelFacade


@runtime_checkable
class Facade(WheelFacade, Protocol):
    """:class:`~wheel_core.app.facade.WheelFacade`, checkable with ``isinstance``."""
