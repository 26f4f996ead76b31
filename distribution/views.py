"""Public endpoints of distribution: each channel's pull feeds. Authenticated by the channel's
token in the ``Authorization: Bearer <token>`` header only (a token in the address would be
written to every access log on the way), conditional (ETag / Last-Modified → 304), answered to
HEAD as to GET, and counted as delivery when the items are fetched (GET)."""

import time

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from distribution.feeds import build_feed, feed_version, retracted_items
from distribution.models import channel_for_token
from distribution.services import feed_deliveries, record_feed_fetch


def request_token(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return ""


def unauthorized(message):
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Bearer realm="feeds"'
    return response


def not_modified(request, etag, last_modified):
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return quote_etag(etag) in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(last_modified.timestamp()) <= since


def channel_feed(request, code, fmt):
    started = time.monotonic()
    channel = channel_for_token(request_token(request))
    if channel is None:
        return unauthorized(_("订阅源需要渠道令牌：请在请求头 Authorization: Bearer <令牌> 中提供"))
    if channel.code != code:
        return HttpResponse(
            _("这个令牌不属于渠道 %(code)s") % {"code": code},
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    listed = feed_deliveries(channel)
    retracted = retracted_items(channel)
    etag, last_modified = feed_version(channel, listed, retracted)
    headers = {
        "ETag": quote_etag(etag),
        "Last-Modified": http_date(last_modified.timestamp()),
        # Per-channel content behind a token: private caches only, always revalidate.
        "Cache-Control": "private, no-cache",
        "Vary": "Authorization",
    }
    if not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        body, content_type = build_feed(channel, fmt, listed, retracted, etag)
        response = HttpResponse(body, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    if request.method == "GET":
        latency = round((time.monotonic() - started) * 1000)
        record_feed_fetch(channel, listed, response.status_code, latency)
    return response


@require_safe
def feed_rss(request, code):
    return channel_feed(request, code, "rss")


@require_safe
def feed_json(request, code):
    return channel_feed(request, code, "json")
