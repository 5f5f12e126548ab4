"""Which ``Host`` headers the server answers (``adapters.http.host_names``) and the
``server.allowed_hosts`` setting that extends them. The rule as the app applies it,
with refusals as problems, is in ``tests/integration/test_api_browser_rules.py``."""

from __future__ import annotations

import pytest

from adapters.http.host_names import AllowedHosts, host_name
from adapters.settings import SettingsError, convert


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost", "localhost"),
        ("LocalHost:8000", "localhost"),
        ("127.0.0.1:65535", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("example.com.:80", "example.com"),
        (" wheel.lan ", "wheel.lan"),
        ("", ""),
        (":8000", ""),
    ],
)
def test_the_name_of_a_host_header(header: str, name: str) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize(
    "header",
    ["localhost", "localhost:8000", "127.0.0.1:1", "127.9.8.7", "[::1]:8000", "LOCALHOST:80"],
)
def test_loopback_names_with_any_port_are_served_by_default(header: str) -> None:
    assert AllowedHosts("127.0.0.1", []).allows(header, "127.0.0.1")


@pytest.mark.parametrize(
    "header",
    [
        "rebind.evil.example:8000",
        "evil.example",
        "app.localhost:8000",  # not resolved, not a default: add it if a client uses it
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "0.0.0.0:8000",
        "",
        ":8000",
    ],
)
def test_other_names_are_not(header: str) -> None:
    assert not AllowedHosts("127.0.0.1", []).allows(header, "127.0.0.1")


def test_the_configured_list_adds_names_and_subdomains() -> None:
    hosts = AllowedHosts("127.0.0.1", ["wheel.lan", "*.example.com", "[fd00::5]"])
    assert hosts.allows("wheel.lan:8000", None)
    assert hosts.allows("WHEEL.LAN", None)
    assert hosts.allows("api.example.com", None)
    assert hosts.allows("a.b.example.com:443", None)
    assert hosts.allows("[fd00::5]:8000", None)
    assert not hosts.allows("example.com", None)  # the domain itself is not a subdomain
    assert not hosts.allows("badexample.com", None)
    assert not hosts.allows("wheel.lan.evil.example", None)


def test_a_star_serves_any_host() -> None:
    assert AllowedHosts("0.0.0.0", ["*"]).allows("anything.at.all:1", None)


def test_the_bound_name_is_served_but_not_a_wildcard_address() -> None:
    assert AllowedHosts("wheel.internal", []).allows("wheel.internal:8000", None)
    assert AllowedHosts("[fd00::7]", []).allows("[fd00::7]:8000", None)
    assert not AllowedHosts("0.0.0.0", []).allows("0.0.0.0:8000", None)
    assert not AllowedHosts("::", []).allows("[::]:8000", None)


def test_the_address_a_connection_arrived_at_is_served() -> None:
    """A server on 0.0.0.0 reached as http://192.168.1.5:8000: the address cannot be
    rebound, so no configuration is needed for it."""
    hosts = AllowedHosts("0.0.0.0", [])
    assert hosts.allows("192.168.1.5:8000", "192.168.1.5")
    assert not hosts.allows("192.168.1.6:8000", "192.168.1.5")
    assert not hosts.allows("evil.example:8000", "192.168.1.5")


def test_allowed_hosts_is_a_server_setting() -> None:
    settings = convert({"server": {"allowed_hosts": ["wheel.lan", "*.example.com", "*", "::1"]}})
    assert settings.server.allowed_hosts == ["wheel.lan", "*.example.com", "*", "::1"]
    assert convert({}).server.allowed_hosts == []


@pytest.mark.parametrize(
    "entry", ["http://wheel.lan", "wheel.lan:8000", "[::1]:8000", "wheel.*", "a b", "*example.com"]
)
def test_an_entry_that_is_no_host_is_refused_at_start(entry: str) -> None:
    with pytest.raises(SettingsError) as error:
        convert({"server": {"allowed_hosts": [entry]}})
    assert "allowed_hosts" in str(error.value)
    assert repr(entry) in str(error.value)


def test_the_guard_form_remembers_only_what_holds_for_every_connection() -> None:
    """``serves`` (raw bytes, every request) memoises what the fixed rules accept; an
    address accepted because the connection arrived at it is judged per connection."""
    hosts = AllowedHosts("0.0.0.0", ["wheel.lan"])
    assert hosts.serves(b"wheel.lan:8000", ("10.0.0.1", 8000))
    assert hosts.serves(b"wheel.lan:8000", None)
    assert hosts.serves(b"192.168.1.5:8000", ("192.168.1.5", 8000))
    assert not hosts.serves(b"192.168.1.5:8000", ("10.0.0.1", 8000))
    assert not hosts.serves(b"192.168.1.5:8000", None)
    assert not hosts.serves(b"evil.example", ("127.0.0.1", 8000))
