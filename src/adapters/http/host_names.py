"""Which ``Host`` headers the server answers: the defence against DNS rebinding.

A web page at ``http://evil.example:8000`` can make its own name resolve to
127.0.0.1 and then read and drive the API as if it were same-origin; the one
thing it cannot change is the ``Host`` its browser sends, ``evil.example:8000``.
So a request is served only when its Host names the server as the user would:

- a loopback name: ``localhost`` or a loopback address (``127.0.0.1``, ``::1``);
  names under ``.localhost`` are not included (no client needs them; add them);
- the host the server was told to bind, when that is a name or an address
  (not ``0.0.0.0`` or ``::``, which no client can use);
- the address the connection itself arrived at (``192.168.1.5`` on a server
  bound to ``0.0.0.0``): an address typed as such cannot be rebound;
- an entry of ``server.allowed_hosts``: a name, ``*.`` and a domain (any
  subdomain, not the domain itself), or ``*`` (any Host at all).

The port is not compared: a page cannot choose which port its own name's
requests carry, only which address the name resolves to. A request without a
Host (HTTP/1.0) did not come from a browser and is served.

Litestar's own ``AllowedHostsConfig`` was not used: it runs only on routes that
matched (an unknown path escapes it), compares the port too (``localhost``
does not match ``localhost:8000``), cannot express ``[::1]:8000``, and refuses
with a body that is not problem+json.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

ANY = "*"
MEMO = 64
"""Distinct Host headers remembered as served."""
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(header: str) -> str:
    """The name part of a ``Host`` header, lower case, without the port, the IPv6
    brackets or a final dot: ``[::1]:8000`` → ``::1``, ``Example.COM.:80`` →
    ``example.com``."""
    value = header.strip().lower()
    if value.startswith("["):
        name, _, _ = value[1:].partition("]")
    elif value.count(":") == 1:
        name, _, _ = value.partition(":")
    else:
        name = value
    return name.rstrip(".")


def is_loopback_name(name: str) -> bool:
    """``localhost`` or a loopback address, as the name part of a Host; never resolved."""
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class AllowedHosts:
    """The rule of the module docstring for one server, built once at start."""

    def __init__(self, bound_host: str, allowed: Iterable[str]) -> None:
        entries = [host_name(entry) for entry in allowed]
        self.any = ANY in entries
        self._names = frozenset(e for e in entries if not e.startswith("*.")) | LOOPBACK_NAMES
        self._suffixes = tuple(e[1:] for e in entries if e.startswith("*."))  # ".example.com"
        self._served: set[bytes] = set()
        bound = host_name(bound_host)
        if not _is_unspecified(bound):
            self._names |= {bound}

    def allows(self, header: str, local_address: str | None) -> bool:
        """Whether a request whose Host is ``header``, arriving at ``local_address``
        (ASGI's ``scope["server"]`` host), is for this server."""
        name = host_name(header)
        return self._fixed_rules_allow(name) or name == local_address

    def serves(self, header: bytes, server: Sequence[Any] | None) -> bool:
        """``allows`` for a raw header and ASGI's ``scope["server"]``, as the request
        guard has them. It runs on every request, so the headers the fixed rules
        accepted are remembered (a server sees few distinct Hosts; ``MEMO`` at most)."""
        if header in self._served:
            return True
        name = host_name(header.decode("latin-1"))
        if self._fixed_rules_allow(name):
            if len(self._served) < MEMO:
                self._served.add(header)
            return True
        return server is not None and server[0] is not None and name == str(server[0]).lower()

    def _fixed_rules_allow(self, name: str) -> bool:
        return (
            self.any
            or name in self._names
            or name.endswith(self._suffixes)
            or is_loopback_name(name)
        )


def _is_unspecified(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_unspecified
    except ValueError:
        return False
