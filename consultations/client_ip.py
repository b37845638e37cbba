import ipaddress
from functools import cache

from django.conf import settings


@cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of the proxies listed in DJANGO_TRUSTED_PROXIES (addresses or networks)."""
    parsed = _parse(address)
    if parsed is None:
        return False
    if getattr(parsed, "ipv4_mapped", None):
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The visitor's address, for the form's rate limit and the admin's sign-in lockout.

    The connection's own address (REMOTE_ADDR) counts unless it is one of our proxies
    (settings.TRUSTED_PROXIES). Only then is X-Forwarded-For read, from the right: each proxy appends the
    address it was connected from, so the right-most entry that is not itself a trusted proxy is the
    visitor. Anything further left was written by the client and could be forged; and a header from a
    connection that is not a trusted proxy (someone reaching gunicorn directly) is ignored entirely.
    """
    remote = request.META.get("REMOTE_ADDR", "")[:64]
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    current = remote
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if _parse(hop) is None:
            break  # not an address: a proxy did not write it; the last proxy is all we know
        current = hop[:64]
        if not is_trusted_proxy(hop):
            break
    return current
