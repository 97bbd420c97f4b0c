"""The client's address, for rate limits, the login lockout and the access log.

Behind a reverse proxy (nginx on the county's intranet, say), ``REMOTE_ADDR`` is the proxy's
address for every visitor: one visitor's posts would use up everyone's limit, and five wrong
passwords from anyone would lock an account for all. The proxy passes the visitor's address
in ``X-Forwarded-For``, but a visitor can send that header too, so it is believed only when
the request comes from a proxy listed in ``TRUSTED_PROXIES`` (setting; environment
``GONGXIN_TRUSTED_PROXIES``: comma-separated addresses or networks such as
``127.0.0.1,10.1.0.0/16``). The header is then read from the right, each hop appended by the
one before it, and the first address that is not a trusted proxy is the client: whatever a
visitor wrote further left is never reached."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address, networks) -> bool:
    return any(address in net for net in networks)


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The visitor's address as text, or None when the request carries none."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last address we could trust
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
