"""The facade as the dashboard's handlers ask for it.

Handlers take the app's ``service`` dependency typed as the driving port, never the
concrete service. Litestar checks a dependency's value against its annotation, which
a Protocol cannot answer, so the check is skipped — the same alias the API's handlers
use (``adapters.http.dependencies.Facade``), repeated here so the dashboard does not
import the HTTP adapter.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Dependency

from wheel_core.app.facade import WheelFacade

Facade = Annotated[WheelFacade, Dependency(skip_validation=True)]
