"""SSRF guard for webhook URLs: an editor-supplied URL must not make our server call into the
office intranet, the machine itself or a cloud metadata service. Checked when a channel is saved
and again right before every send (DNS can change in between), and the send then connects to
the address that was checked."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

# Metadata services that some clouds put on ordinary-looking addresses (Alibaba Cloud uses
# shared address space; the others sit in link-local space, refused anyway).
METADATA_ADDRESSES = {
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class UnsafeURL(Exception):
    """``code`` is the kind of failure (distribution.failures.Failure): an address refused for
    safety, a malformed URL, or a host name that does not resolve."""

    def __init__(self, message, code="unsafe_address"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedURL:
    url: str
    scheme: str
    host: str
    port: int
    # The address to connect to, or None when the host is allow-listed (then DNS decides).
    address: str | None


def host_is_allowed(host, port):
    allowed = {h.lower() for h in settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS}
    return host.lower() in allowed or f"{host.lower()}:{port}" in allowed


# NAT64: the well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052); the
# local-use prefix (RFC 8215) is for an operator's own network and never globally routable.
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")


def unwrapped(ip):
    """The addresses a packet to ``ip`` really reaches: an IPv6 address that carries an IPv4
    one (IPv4-mapped, 6to4, Teredo server and client, NAT64) stands for that IPv4 address."""
    if ip.version == 4:
        return [ip]
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    if ip in NAT64_WELL_KNOWN:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return [ip]


def refused_reason(address):
    """Why ``address`` may not receive a webhook, or None: only globally routable addresses may,
    judged after unwrapping the IPv4 address an IPv6 form carries."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip in NAT64_LOCAL_USE:
        return _("保留或非公网地址")
    for target in unwrapped(ip):
        reason = address_reason(target)
        if reason:
            return reason
    return None


def address_reason(ip):
    if ip in METADATA_ADDRESSES:
        return _("云元数据地址")
    if ip.is_loopback:
        return _("本机回环地址")
    if ip.is_unspecified or ip.is_reserved:
        return _("保留或非公网地址")
    if ip.is_link_local:
        return _("链路本地地址")
    if ip.is_private:
        return _("内网地址")
    if not ip.is_global or ip.is_multicast:
        return _("保留或非公网地址")
    return None


def check_webhook_url(url, resolve=socket.getaddrinfo):
    """Return where to send ``url``, or raise UnsafeURL with a Chinese message saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("Webhook 地址格式不正确"), code="invalid_url") from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("Webhook 地址必须以 http:// 或 https:// 开头"), code="invalid_url")
    host = parts.hostname
    if not host:
        raise UnsafeURL(_("Webhook 地址缺少主机名"), code="invalid_url")
    if parts.username or parts.password:
        raise UnsafeURL(_("Webhook 地址不能包含用户名或密码"), code="invalid_url")
    port = port or (443 if parts.scheme == "https" else 80)
    if host_is_allowed(host, port):
        return CheckedURL(url, parts.scheme, host, port, None)
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UnsafeURL(
            _("无法解析 Webhook 主机名：%(host)s") % {"host": host}, code="dns"
        ) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeURL(_("无法解析 Webhook 主机名：%(host)s") % {"host": host}, code="dns")
    for address in addresses:
        reason = refused_reason(address)
        if reason:
            raise UnsafeURL(
                _("Webhook 地址 %(host)s 指向%(reason)s（%(address)s），出于安全原因拒绝")
                % {"host": host, "reason": reason, "address": address}
            )
    return CheckedURL(url, parts.scheme, host, port, addresses[0])
