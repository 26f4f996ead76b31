"""Sending one Standard Webhooks message: signed with the ``standardwebhooks`` package, sent by
the one shared httpx client to the address the SSRF guard checked, within bounded timeouts."""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from distribution.failures import Failure, failure_for_exception, failure_for_status
from distribution.ssrf import UnsafeURL, check_webhook_url

USER_AGENT = "HubeiPufa-Webhooks/1.0"

_client = None
_client_lock = threading.Lock()


def http_client():
    """The process's one HTTP client: pooled connections, bounded timeouts, no redirects
    (a redirect could lead past the SSRF guard)."""
    global _client
    with _client_lock:
        if _client is None:
            limit = settings.DISTRIBUTION_CONCURRENCY
            _client = httpx.Client(
                timeout=httpx.Timeout(
                    settings.DISTRIBUTION_REQUEST_TIMEOUT,
                    connect=settings.DISTRIBUTION_CONNECT_TIMEOUT,
                ),
                limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
                follow_redirects=False,
                headers={"user-agent": USER_AGENT},
            )
        return _client


def close_http_client():
    global _client
    with _client_lock:
        if _client is not None:
            _client.close()
            _client = None


@dataclass
class SendResult:
    succeeded: bool
    status_code: int | None = None
    latency_ms: int | None = None
    error: str = ""
    # The kind of failure (distribution.failures.Failure), which editors see explained.
    error_code: str = ""
    # A permanent failure (unsafe or malformed URL) is not retried: only an edit can fix it.
    permanent: bool = False
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def signed_headers(secrets, msg_id, body, now=None):
    """Standard Webhooks headers; one ``v1,`` signature per key, space-separated, so during a
    secret rotation receivers holding either key verify the message."""
    now = now or datetime.now(UTC)
    signatures = [Webhook(key).sign(msg_id=msg_id, timestamp=now, data=body) for key in secrets]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
    }


def encode_body(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def pinned_request(checked, headers, body, client):
    """Connect to the IP address the guard approved, while HTTP Host and TLS SNI still name the
    host: a DNS answer that changes after the check cannot redirect the request."""
    url = httpx.URL(checked.url)
    extensions = {}
    if checked.address is not None:
        url = url.copy_with(host=checked.address)
        default_port = checked.port == (443 if checked.scheme == "https" else 80)
        host_header = checked.host if default_port else f"{checked.host}:{checked.port}"
        headers = {**headers, "host": host_header}
        if checked.scheme == "https":
            extensions["sni_hostname"] = checked.host
    return client.build_request(
        "POST", url, headers=headers, content=body.encode(), extensions=extensions
    )


def send_webhook(channel, msg_id, payload, client=None):
    """POST one signed message to the channel; never raises for anything a receiver can do.
    ``client``: the process's shared client unless another is given (the demo hands its
    messages to the receiver's code in the same process)."""
    client = client or http_client()
    try:
        checked = check_webhook_url(channel.webhook_url)
    except UnsafeURL as exc:
        # A name that does not resolve may be the intranet DNS failing for a while: retried.
        return SendResult(
            False, error=exc.message, error_code=exc.code, permanent=exc.code != Failure.DNS
        )
    body = encode_body(payload)
    headers = signed_headers(channel.signing_secrets(), msg_id, body)
    started = time.monotonic()
    try:
        request = pinned_request(checked, headers, body, client)
        response = client.send(request, stream=True)
        response.close()
    except httpx.TimeoutException as exc:
        return SendResult(
            False,
            latency_ms=elapsed_ms(started),
            error=_("接收方超时未应答"),
            error_code=failure_for_exception(exc),
        )
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        # Whatever the network or the receiver does is a failed attempt to retry, never a
        # crashed worker that would leave the delivery to the recovery sweep.
        return SendResult(
            False,
            latency_ms=elapsed_ms(started),
            error=_("连接失败：%(error)s") % {"error": str(exc)[:200] or type(exc).__name__},
            error_code=failure_for_exception(exc),
        )
    latency = elapsed_ms(started)
    if 200 <= response.status_code < 300:
        return SendResult(True, response.status_code, latency)
    return SendResult(
        False,
        response.status_code,
        latency,
        error=_("接收方返回 HTTP %(status)s") % {"status": response.status_code},
        error_code=failure_for_status(response.status_code),
    )


def elapsed_ms(started):
    return round((time.monotonic() - started) * 1000)
