"""Typed settings, layered: defaults < config file < stored changes < environment < flags.

Every layer is a nested mapping of the same shape as :class:`Settings`; they are
merged key by key and converted once, so a bad value anywhere fails at start with
its key and its source named (``SettingsError``)::

    server:
      port: 8000            # config/server.yaml or <user config dir>/config.yaml
    WHEEL_STRATEGY_SERVER__PORT=8001          # environment: "__" walks into sections
    wheel-strategy serve --port 8002          # flags win

Stored changes are what ``PATCH /system/config`` saved in the database; they sit
above the file (the user changed their mind at run time) and below the
environment and flags (which the operator set for this process).

Secrets (``SECRET_KEYS``) are only ever shown redacted (:func:`redacted`).

This module reads and layers settings; the stored layer itself — which sections may
change at run time, how a change is put on top, where it is kept — belongs to the
operations service (``adapters/operations/stored_settings.py``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
import yaml
from platformdirs import user_config_dir

from wheel_core.app.config import CoreSettings

APP_NAME = "wheel-strategy"
ENV_PREFIX = "WHEEL_STRATEGY_"
REDACTED = "***"
MIN_API_TOKEN_LENGTH = 16
"""A bearer token guards every endpoint: shorter ones are guessable, so refused at start."""
LOCAL_CONFIG = Path("config/server.yaml")

Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]
Seconds = Annotated[int, msgspec.Meta(ge=0)]


# Every section refuses unknown keys: a misspelt setting must not be silently ignored.


class DatabaseSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: str | None = None
    """A SQLite path or a SQLAlchemy URL; empty: ``wheel.db`` in the user data dir."""


class MarketDataSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    provider: Literal["simulated", "schwab"] = "simulated"
    seed: int = 0
    """The simulated market's seed: the same seed, the same prices."""
    quote_ttl: Seconds = 300
    chain_ttl: Seconds = 900
    history_ttl: Seconds = 86_400
    max_stale: Seconds = 86_400
    """How old a cached value may be when served stale after a provider failure."""
    requests_per_minute: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 100
    retry_attempts: Annotated[int, msgspec.Meta(ge=1, le=10)] = 4


class SchwabSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    api_key: str | None = None
    app_secret: str | None = None
    callback_url: str = "https://127.0.0.1:8182"
    token_path: str | None = None
    """Empty: ``schwab_token.json`` in the user data dir."""


class CalendarSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    extra_closed_days: list[date] = msgspec.field(default_factory=list)
    """Closures announced after the holidays package's release (e.g. a day of mourning)."""
    extra_early_closes: list[date] = msgspec.field(default_factory=list)


class ServerSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    host: str = "127.0.0.1"
    port: Port = 8000
    api_token: str | None = None
    """Required to bind anywhere but loopback; then every endpoint but /health needs it.
    At least ``MIN_API_TOKEN_LENGTH`` characters (checked by :func:`value_problems`)."""
    cors_origins: list[str] = msgspec.field(default_factory=list)
    allowed_hosts: list[str] = msgspec.field(default_factory=list)
    """Host names clients may use to reach the server besides loopback (``localhost``,
    ``127.0.0.1``, ``::1``), the bound host and the address a request arrived at:
    ``wheel.lan``, ``*.example.com`` (any subdomain) or ``*`` (any). A request naming
    another Host is refused, so a web page cannot reach the API by rebinding its own
    name to this machine."""
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1_048_576
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    scheduler: bool = True
    """Run the background jobs in this process (only one process may)."""

    def __post_init__(self) -> None:
        """A mistyped host (a URL, a port) would refuse every request that uses it; said
        at start instead."""
        for entry in self.allowed_hosts:
            if not _is_host_entry(entry):
                raise ValueError(
                    f"allowed_hosts entry {entry!r} is not a host name, an address, "
                    "'*.' followed by a domain, or '*' (no scheme, no port)"
                )


_HOST_NAME = re.compile(r"(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?")
"""An ``allowed_hosts`` name: labels joined by dots, perhaps after ``*.``."""


def _is_host_entry(entry: str) -> bool:
    if entry == "*" or _HOST_NAME.fullmatch(entry):
        return True
    try:
        ipaddress.IPv6Address(entry.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


class JobOverride(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One job's schedule as the config file sets it; unset keys keep the job's default.

    Changes made through ``PATCH /api/v1/jobs/{name}`` are stored in the database and
    sit above these, like every stored run-time change.
    """

    enabled: bool | None = None
    interval_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] | None = None
    cron: str | None = None
    """Five crontab fields (minute hour day month day-of-week), e.g. ``45 9,12 * * mon-fri``."""
    timezone: str | None = None
    only_when: Literal["market_open", "trading_day", "always"] | None = None
    timeout_seconds: Annotated[int, msgspec.Meta(ge=1, le=86_400)] | None = None


class SchedulerSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Background jobs and plugins (``server.scheduler`` says whether this process runs them)."""

    timezone: str = "America/New_York"
    """Where a job's cron fields are read when the job names no time zone of its own."""
    job_timeout: Annotated[int, msgspec.Meta(ge=1, le=86_400)] = 300
    """Seconds a run may take before it is cancelled and recorded as ``timeout``."""
    misfire_grace: Annotated[int, msgspec.Meta(ge=1, le=86_400)] = 300
    """Seconds a run may start late (a busy or suspended process) and still run."""
    jobs: dict[str, JobOverride] = msgspec.field(default_factory=dict)
    """Per-job overrides by job name (``price_refresh``, ``risk_monitor``, ``daily_snapshot``,
    ``opportunity_scan`` or a plugin's name)."""
    plugins_dir: str = "plugins"
    """Plugin files (``*.py``) loaded at start; relative paths are read from the working
    directory. Installed packages add plugins through the ``wheel_strategy.plugins``
    entry-point group."""
    plugin_import_timeout: Annotated[float, msgspec.Meta(gt=0, le=600)] = 10.0
    """Seconds one plugin file or entry point may take to import; a slower one is reported
    as failed (``/health`` degraded) and start-up goes on without it."""
    notifier: Literal["log", "webhook"] = "log"
    webhook_url: str | None = None
    """Where the webhook notifier POSTs each new alert as JSON; may hold a token, so it is
    a secret: shown redacted, never logged. Checked with the notifier by
    :func:`value_problems`, not here: a redacted copy must still be a ``Settings``."""
    webhook_timeout: Annotated[float, msgspec.Meta(gt=0, le=300)] = 10.0
    webhook_retries: Annotated[int, msgspec.Meta(ge=0, le=10)] = 3
    keep_runs_days: Annotated[int, msgspec.Meta(ge=0, le=3650)] = 90
    """Days of run history kept (about 25,000 runs a year on the default schedules);
    older runs are deleted at start and once a day. ``0`` keeps every run."""
    lease_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 30
    """How long the scheduler lease runs unless renewed: the one process that runs the
    jobs renews it every third of this, and a standby takes over within about this long
    after the leader died (at once after a clean stop)."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    database: DatabaseSettings = msgspec.field(default_factory=DatabaseSettings)
    market_data: MarketDataSettings = msgspec.field(default_factory=MarketDataSettings)
    schwab: SchwabSettings = msgspec.field(default_factory=SchwabSettings)
    calendar: CalendarSettings = msgspec.field(default_factory=CalendarSettings)
    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    core: CoreSettings = msgspec.field(default_factory=CoreSettings)
    scheduler: SchedulerSettings = msgspec.field(default_factory=SchedulerSettings)


SECRET_KEYS = frozenset(
    {"schwab.app_secret", "schwab.api_key", "server.api_token", "scheduler.webhook_url"}
)


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key and where it came from."""


Layer = dict[str, Any]


def default_config_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.yaml"


def config_file(explicit: str | Path | None = None) -> Path | None:
    """The config file to read: the one named, else ``config/server.yaml`` in the
    working directory, else the user config dir's ``config.yaml``, else none."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise SettingsError(f"config file {path} does not exist")
        return path
    for candidate in (LOCAL_CONFIG, default_config_path()):
        if candidate.is_file():
            return candidate
    return None


def file_layer(path: Path | None) -> Layer:
    if path is None:
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"config file {path} cannot be read: {error}") from None
    except yaml.YAMLError as error:
        raise SettingsError(f"config file {path} is not valid YAML: {error}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SettingsError(f"config file {path} must hold a mapping of sections")
    return loaded


def env_layer(environ: Mapping[str, str] | None = None) -> Layer:
    """``WHEEL_STRATEGY_SECTION__KEY=value`` pairs as a layer.

    A text setting (every secret, a URL, a path, a name) takes the value verbatim: a
    token ``long passphrase #x`` keeps its ``#x``, and ``12345678`` or ``false`` stay
    text. Any other value is a YAML scalar or flow collection, so ``8001``, ``true``
    and ``[2025-01-09]`` mean what they look like; a value that does not parse is kept
    as text for the conversion to judge. An empty value means unset.
    """
    environ = os.environ if environ is None else environ
    layer: Layer = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        if len(path) < 2 or not all(path):
            continue  # WHEEL_STRATEGY_API and friends belong to the CLI, not to these settings
        _assign(layer, path, _env_value(raw, path))
    return layer


def _env_value(raw: str, path: list[str]) -> Any:
    if not raw.strip():
        return None
    if _is_text(_type_at(path)):
        return raw
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return raw if isinstance(value, dict) else value


def _type_at(path: list[str]) -> msgspec.inspect.Type | None:
    """The type of the setting at ``path`` (``None``: no such setting)."""
    node: msgspec.inspect.Type = msgspec.inspect.type_info(Settings)
    for part in path:
        if isinstance(node, msgspec.inspect.StructType):
            fields = {field.encode_name: field.type for field in node.fields}
            if part not in fields:
                return None
            node = fields[part]
        elif isinstance(node, msgspec.inspect.DictType):  # scheduler.jobs.<name>
            node = node.value_type
        else:
            return None
    return node


def _is_text(kind: msgspec.inspect.Type | None) -> bool:
    """Whether a setting holds text only (``str``, a choice of words, optionally unset)."""
    if isinstance(kind, msgspec.inspect.StrType):
        return True
    if isinstance(kind, msgspec.inspect.LiteralType):
        return all(isinstance(value, str) for value in kind.values)
    if isinstance(kind, msgspec.inspect.UnionType):
        kinds = [k for k in kind.types if not isinstance(k, msgspec.inspect.NoneType)]
        return bool(kinds) and all(_is_text(k) for k in kinds)
    return False


def flags_layer(**flags: Any) -> Layer:
    """Command-line flags as a layer: ``server__port=8002``; ``None`` means not given."""
    layer: Layer = {}
    for key, value in flags.items():
        if value is not None:
            _assign(layer, key.split("__"), value)
    return layer


def load_settings(
    *,
    config: str | Path | None = None,
    stored: Layer | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Layer | None = None,
) -> Settings:
    """Build the settings from every layer; ``SettingsError`` names a bad key and its source."""
    path = config_file(config)
    layers = [
        (f"config file {path}", file_layer(path)),
        ("stored settings", stored or {}),
        ("environment", env_layer(environ)),
        ("flags", flags or {}),
    ]
    merged: Layer = {}
    for source, layer in layers:
        check_known_keys(layer, source)
        merged = merge(merged, layer)
    try:
        settings = msgspec.convert(merged, Settings, strict=False)
    except msgspec.ValidationError as error:
        key, reason = _readable(error)
        raise SettingsError(f"invalid setting {key}{_source(layers, key)}: {reason}") from None
    for key, reason in value_problems(settings):
        raise SettingsError(f"invalid setting {key}{_source(layers, key)}: {reason}")
    return settings


def _source(layers: list[tuple[str, Layer]], key: str) -> str:
    found = [name for name, layer in layers if holds_key(layer, key)]
    return f" (from {found[-1]})" if found else ""


def convert(data: Layer, *, source: str = "settings") -> Settings:
    """One layer on its own as settings (stored changes are checked this way)."""
    check_known_keys(data, source)
    try:
        settings = msgspec.convert(data, Settings, strict=False)
    except msgspec.ValidationError as error:
        key, reason = _readable(error)
        raise SettingsError(f"invalid setting {key} (from {source}): {reason}") from None
    for key, reason in value_problems(settings):
        raise SettingsError(f"invalid setting {key} (from {source}): {reason}")
    return settings


def value_problems(settings: Settings) -> list[tuple[str, str]]:
    """The rules a type cannot say, as (key, reason): a webhook notifier needs a URL it
    can POST to, an API token must be long enough.

    They judge the real values, when settings are built from their layers — never a
    :func:`redacted` copy, whose secrets are ``***`` by design (so these rules are not
    in the Structs' ``__post_init__``, which every copy and decode would run). No
    reason repeats a value: each of these keys is a secret.
    """
    problems: list[tuple[str, str]] = []
    scheduler = settings.scheduler
    if scheduler.notifier == "webhook":
        try:
            url = urlsplit(scheduler.webhook_url or "")
            url.port  # noqa: B018 - a port that is no number raises here
        except ValueError:
            problems.append(("scheduler.webhook_url", "webhook_url is not a valid URL"))
        else:
            if url.scheme not in ("http", "https") or not url.hostname:
                problems.append(
                    (
                        "scheduler.webhook_url",
                        "notifier webhook needs webhook_url, an http:// or https:// URL",
                    )
                )
    token = settings.server.api_token
    if token and len(token) < MIN_API_TOKEN_LENGTH:  # empty: no token, as the app reads it
        problems.append(("server.api_token", f"must be at least {MIN_API_TOKEN_LENGTH} characters"))
    return problems


def check_known_keys(layer: Layer, source: str) -> None:
    unknown = list(_unknown_keys(layer, Settings, ()))
    if unknown:
        raise SettingsError(f"unknown setting {', '.join(unknown)} in {source}")


def merge(base: Layer, top: Layer) -> Layer:
    """``top`` over ``base``, section by section (lists are replaced, not joined)."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def as_layer(settings: Settings) -> Layer:
    layer: Layer = msgspec.to_builtins(settings)
    return layer


def secrets_of(settings: Settings) -> dict[str, str]:
    """The secrets that are set, by key (``SECRET_KEYS``): what is hidden when shown and
    masked when logged."""
    found: dict[str, str] = {}
    for key in sorted(SECRET_KEYS):
        section, name = key.split(".")
        value = getattr(getattr(settings, section), name)
        if value:
            found[key] = value
    return found


def redacted(settings: Settings) -> Settings:
    """The same settings with every secret that is set replaced by ``***``: safe to show."""
    sections: dict[str, Any] = {}
    for key in secrets_of(settings):
        section, name = key.split(".")
        current = sections.get(section, getattr(settings, section))
        sections[section] = msgspec.structs.replace(current, **{name: REDACTED})
    return msgspec.structs.replace(settings, **sections)


def _assign(layer: Layer, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        layer = layer.setdefault(part, {})
    layer[path[-1]] = value


def _unknown_keys(data: Any, kind: Any, prefix: tuple[str, ...]) -> Iterable[str]:
    """Keys of ``data`` that no field of the Struct ``kind`` (recursively) declares.

    The core's settings Structs do not forbid unknown fields themselves, so the walk
    is done here, for every section alike.
    """
    if not isinstance(data, dict):
        return
    info = msgspec.inspect.type_info(kind)
    if not isinstance(info, msgspec.inspect.StructType):
        return
    fields = {field.encode_name: field for field in info.fields}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            yield ".".join((*prefix, str(key)))
        elif isinstance(field.type, msgspec.inspect.StructType):
            yield from _unknown_keys(value, field.type.cls, (*prefix, key))


def holds_key(layer: Layer, key: str) -> bool:
    """Whether ``layer`` sets the dotted ``key`` (``server.port``)."""
    node: Any = layer
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _readable(error: msgspec.ValidationError) -> tuple[str, str]:
    """msgspec says ``… - at `$.server.port```; we say which key and why, apart."""
    message = str(error)
    text, marker, where = message.rpartition(" - at `$.")
    if not marker:
        return "(top level)", message
    return where.rstrip("`").split("[")[0], text
