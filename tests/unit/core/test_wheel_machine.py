"""The wheel life cycle under random event sequences (DESIGN §3 invariants)."""

from hypothesis import settings

from wheel_core.testing.machine import WheelLifecycleMachine

WheelLifecycleMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None
)
TestWheelLifecycle = WheelLifecycleMachine.TestCase
