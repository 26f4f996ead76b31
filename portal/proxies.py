"""The client's address, one definition for every process and feature that needs it (visitor
counting, rate limits, login throttling). Behind a reverse proxy the connection comes from the
proxy, which names the client in X-Forwarded-For / X-Real-IP; those headers are believed only
when the connection itself comes from an address in ``TRUSTED_PROXIES``, since anyone else
could write whatever they like in them."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def trusted_networks(proxies):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in proxies)


def parsed(address):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def is_trusted(ip):
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return ip is not None and any(ip in network for network in networks)


def client_ip(request):
    """The address of whoever made the request: the connection's own address, unless it comes
    from a trusted proxy; then the nearest address in X-Forwarded-For that is not itself a
    trusted proxy (entries further left are the client's own claims), or X-Real-IP. A header
    that is not an address leaves the proxy's own address."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(parsed(remote)):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        nearest = remote
        for entry in reversed(forwarded.split(",")):
            hop = parsed(entry)
            if hop is None:
                return nearest
            nearest = str(hop)
            if not is_trusted(hop):
                return nearest
        return nearest
    real = parsed(request.META.get("HTTP_X_REAL_IP", ""))
    return str(real) if real is not None else remote
