"""The CLI's small parts: mode choice, typed arguments, exit codes, progress bars."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from cyclopts import Token
from rich.text import Text

from adapters.cli.arguments import _decimal, build
from adapters.cli.options import GlobalOptions, UsageError, api_token_from, api_url_from
from adapters.cli.output import Output, json_text
from adapters.cli.remote import RemoteServerError, ServerUnreachableError
from adapters.cli.runner import (
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    CommandError,
    describe,
    run,
)
from adapters.cli.tables.recommendations import recommendation_view
from adapters.settings import SettingsError
from wheel_core.app.commands import RecordTrade
from wheel_core.app.views import WheelRecommendation
from wheel_core.domain.errors import NotFoundError, StorageError


def test_a_configured_url_means_remote_unless_direct_mode_is_asked_for() -> None:
    assert GlobalOptions().remote is False
    assert GlobalOptions(api_url="http://h:8000").remote is True
    assert GlobalOptions(api_url="http://h:8000", api_mode=False).remote is False
    with pytest.raises(UsageError, match="--api-mode needs a server"):
        _ = GlobalOptions(api_mode=True).remote


def test_the_server_url_comes_from_either_variable_and_the_token_from_its_own() -> None:
    assert api_url_from({"WHEEL_STRATEGY_API": "http://b"}) == "http://b"
    assert (
        api_url_from({"WHEEL_API_URL": "http://a", "WHEEL_STRATEGY_API": "http://b"}) == "http://a"
    )
    assert api_url_from({"WHEEL_API_URL": "  "}) is None
    assert api_token_from({"WHEEL_API_TOKEN": "s3cret"}) == "s3cret"
    assert GlobalOptions(api_url="http://h:8000/").server == "http://h:8000"


@pytest.mark.parametrize(("text", "value"), [("2.00", "2.00"), ("1,050.50", "1050.50"), ("7", "7")])
def test_amounts_keep_the_digits_typed(text: str, value: str) -> None:
    parsed = _decimal(Decimal, (Token(value=text),))
    assert parsed == Decimal(value) and str(parsed) == value


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", ""])
def test_text_that_is_not_a_finite_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="number"):
        _decimal(Decimal, (Token(value=text),))


def test_a_value_the_core_bounds_refuse_names_the_flag() -> None:
    with pytest.raises(UsageError, match=r"^invalid --contracts: "):
        build(
            RecordTrade,
            option_type="put",
            strike=Decimal(100),
            expiration="2026-12-18",
            premium=Decimal(1),
            contracts=0,
        )


def test_errors_become_one_line_and_an_exit_code() -> None:
    assert describe(NotFoundError("wheel", 7)) == ("wheel 7 not found", EXIT_REFUSED)
    assert describe(CommandError("no open option"))[1] == EXIT_REFUSED
    assert describe(UsageError("bad flags"))[1] == EXIT_USAGE
    assert describe(SettingsError("invalid setting server.port"))[1] == EXIT_USAGE
    unreachable = ServerUnreachableError("http://127.0.0.1:9", "refused")
    assert describe(unreachable)[1] == EXIT_UNREACHABLE
    assert describe(RemoteServerError(500, "boom", error_id="abc"))[1] == EXIT_REFUSED
    full = StorageError("the database is full (disk full): nothing was written", cause="full")
    assert describe(full) == ("the database is full (disk full): nothing was written", EXIT_REFUSED)
    message, code = describe(KeyError("x"))
    assert code == EXIT_REFUSED
    assert message.startswith("unexpected KeyError") and "--verbose" in message


def test_an_unexpected_error_shows_its_traceback_only_with_verbose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def boom() -> None:
        raise KeyError("x")

    for verbose, traceback_shown in ((False, False), (True, True)):
        with pytest.raises(SystemExit) as exit_info:
            run(GlobalOptions(verbose=verbose), boom)
        assert exit_info.value.code == EXIT_REFUSED
        err = capsys.readouterr().err
        assert ("Traceback" in err) is traceback_shown
        assert err.splitlines()[-1].startswith("error: unexpected KeyError")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_never_when_piped_or_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for options, stderr, drawn in (
        (GlobalOptions(), _Terminal(), True),
        (GlobalOptions(), io.StringIO(), False),
        (GlobalOptions(json=True), _Terminal(), False),
    ):
        monkeypatch.setattr(sys, "stderr", stderr)
        with Output(options).progress("Fetching prices", 3) as advance:
            for _ in range(3):
                advance()
        assert ("Fetching prices" in stderr.getvalue()) is drawn


def test_json_output_is_the_api_encoding_with_exact_decimals(tmp_path: Path) -> None:
    assert json_text({"premium": Decimal("1050.00")}) == '{"premium":1050.00}'


def _commands(app: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command that runs something, as the words that name it."""
    found: list[tuple[str, ...]] = []
    for name in app:  # type: ignore[attr-defined]
        if name.startswith("-"):
            continue
        sub = app[name]  # type: ignore[index]
        if sub.default_command is not None:
            found.append((*path, name))
        found += _commands(sub, (*path, name))
    return found


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from adapters.cli.main import app

    commands = _commands(app)
    assert ("jobs", "history") in commands and ("scheduler", "run") in commands
    assert len(commands) >= 50
    for words in commands:
        app([*words, "--help"], result_action="return_value")
        shown = capsys.readouterr().out
        assert "example" in shown.lower() and "wheel-strategy " in shown, words


def test_a_batch_result_for_a_missing_wheel_is_named_by_its_id() -> None:
    missing = WheelRecommendation(wheel_id=7, symbol=None, state=None, error="wheel 7 not found")
    [line] = recommendation_view(missing)
    assert isinstance(line, Text)
    assert line.plain == "wheel 7: wheel 7 not found"
