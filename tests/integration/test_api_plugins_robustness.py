"""Bad plugin input over the real app: a non-finite number in a plugin's config is a
422 naming the field, never a 500, and nothing is stored."""

import pytest
from api_responses import API, assert_problem, body
from litestar.testing import AsyncTestClient


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
@pytest.mark.parametrize(
    ("plugin", "field"), [("premium_target", "target_pct"), ("volatility_spike", "jump_pct")]
)
async def test_a_non_finite_config_value_is_a_422_naming_the_field(
    api: AsyncTestClient, plugin: str, field: str, value: str
) -> None:
    before = body(await api.get(f"{API}/plugins/{plugin}"))
    problem = assert_problem(
        await api.patch(f"{API}/plugins/{plugin}", json={"config": {field: value}}), 422
    )
    assert problem["detail"].startswith(f"config.{field}: {field} must be a finite number")
    assert body(await api.get(f"{API}/plugins/{plugin}")) == before
