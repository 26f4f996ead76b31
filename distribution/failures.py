"""Why a delivery failed, in plain Chinese, with what to do about it.

Each failed attempt is recorded with a kind of failure (``Failure``) beside the technical error
text; editors see the kind's explanation and advice, the delivery page keeps the raw text for the
channel's technicians. One place decides the kind (from an HTTP status or the exception the HTTP
client raised) and one place words it."""

import socket
import ssl
from dataclasses import dataclass

import httpx
from django.db import models
from django.utils.translation import gettext_lazy as _


class Failure(models.TextChoices):
    HTTP_REDIRECT = "http_3xx", _("接收地址已跳转")
    HTTP_UNAUTHORIZED = "http_401", _("接收方要求登录（HTTP 401）")
    HTTP_FORBIDDEN = "http_403", _("接收方拒绝访问（HTTP 403）")
    HTTP_NOT_FOUND = "http_404", _("接收地址不存在（HTTP 404）")
    HTTP_GONE = "http_410", _("接收地址已停用（HTTP 410）")
    HTTP_TOO_MANY = "http_429", _("接收方限流（HTTP 429）")
    HTTP_CLIENT = "http_4xx", _("接收方不接受这条消息")
    HTTP_SERVER = "http_5xx", _("接收方服务器出错")
    CONNECT_TIMEOUT = "connect_timeout", _("连接超时")
    TIMEOUT = "timeout", _("接收方超时未应答")
    TLS = "tls", _("HTTPS 证书或加密连接有问题")
    DNS = "dns", _("域名无法解析")
    REFUSED = "refused", _("连接被拒绝")
    NETWORK = "network", _("网络连接中断")
    UNSAFE_ADDRESS = "unsafe_address", _("地址指向内网或本机，已拒绝发送")
    INVALID_URL = "invalid_url", _("Webhook 地址格式不正确")
    CHANNEL_PAUSED = "channel_paused", _("渠道已暂停")
    RETRACTED = "retracted", _("内容已撤下，取消送达")


ADVICE = {
    Failure.HTTP_REDIRECT: _(
        "对方把请求跳转到了别的地址；为安全起见系统不跟随跳转。请向渠道确认新的接收地址，"
        "在渠道设置中改为最终地址。"
    ),
    Failure.HTTP_UNAUTHORIZED: _(
        "对方的接收程序要求身份验证，却不认可这条消息。请把渠道的签名密钥（渠道页面 → 签名密钥）"
        "发给渠道技术人员，请对方按签名校验消息，不要另加登录。"
    ),
    Failure.HTTP_FORBIDDEN: _(
        "对方服务器拒绝了本站的请求，常见原因是防火墙或访问白名单没有放行本站，或签名校验失败。"
        "请渠道技术人员放行本站并核对签名密钥。"
    ),
    Failure.HTTP_NOT_FOUND: _(
        "对方服务器上没有这个接收地址，多半是地址填错或对方改了地址。请向渠道确认 Webhook 地址，"
        "在渠道设置中改正后点“重试”。"
    ),
    Failure.HTTP_GONE: _(
        "对方表示这个接收地址已经停用。请向渠道确认新的地址；如渠道已不再接收，请在渠道设置中停用它。"
    ),
    Failure.HTTP_TOO_MANY: _(
        "对方一时收到的请求太多，让本站稍后再发。系统会自动重试，一般无需处理；如长期出现，"
        "请渠道调高限流额度。"
    ),
    Failure.HTTP_CLIENT: _(
        "对方收到了消息但不接受它（例如格式校验未通过）。请把送达记录中的消息 ID 和错误"
        "发给渠道技术人员核对。"
    ),
    Failure.HTTP_SERVER: _(
        "对方的服务器出了故障，问题在渠道一方。系统会自动重试；如持续失败，请联系渠道技术人员"
        "检查服务器。"
    ),
    Failure.CONNECT_TIMEOUT: _(
        "在规定时间内连不上对方服务器：服务器可能关机、网络不通或防火墙拦截。系统会自动重试；"
        "如持续失败，请渠道检查服务器和网络。"
    ),
    Failure.TIMEOUT: _(
        "连上了对方服务器，但它在规定时间内没有答复。系统会自动重试；如持续超时，请渠道让接收程序"
        "先答复再慢慢处理。"
    ),
    Failure.TLS: _(
        "对方网站的 HTTPS 证书无效、过期或与域名不符。请渠道更新证书；在此之前消息无法安全送达。"
    ),
    Failure.DNS: _(
        "找不到这个域名对应的服务器：域名可能拼错、已过期，或内网 DNS 暂时故障。请核对 Webhook "
        "地址中的域名；系统会自动重试。"
    ),
    Failure.REFUSED: _(
        "对方服务器在线，但这个端口没有程序在接收。请渠道确认接收程序已启动、端口正确。"
        "系统会自动重试。"
    ),
    Failure.NETWORK: _(
        "连接中途断开。多为网络波动，系统会自动重试；如持续出现，请渠道检查网络和接收程序。"
    ),
    Failure.UNSAFE_ADDRESS: _(
        "Webhook 地址指向内网、本机或云元数据地址，为防止系统被利用访问内部网络，拒绝发送。"
        "请向渠道索取公网可访问的地址并在渠道设置中修改；确属可信的内网地址，由管理员加入"
        " DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS。"
    ),
    Failure.INVALID_URL: _(
        "渠道设置中的 Webhook 地址不是有效的 http:// 或 https:// 地址。"
        "请在渠道设置中改正后点“重试”。"
    ),
    Failure.CHANNEL_PAUSED: _(
        "这个渠道持续送达失败，已被自动暂停，暂停期间不再发送。请先按暂停原因排除故障，"
        "再在渠道设置中取消“已暂停”，然后点“重试”。"
    ),
    Failure.RETRACTED: _("这篇内容已撤下，未送达的部分随之取消，无需处理。"),
}

UNKNOWN_TITLE = _("送达失败")
UNKNOWN_ADVICE = _("请查看送达记录中的原始错误，或把消息 ID 发给渠道技术人员核对。")


@dataclass(frozen=True)
class Explanation:
    code: str
    title: str
    advice: str


def failure_for_status(status_code):
    """The kind of failure an HTTP answer that is not 2xx means."""
    specific = {
        401: Failure.HTTP_UNAUTHORIZED,
        403: Failure.HTTP_FORBIDDEN,
        404: Failure.HTTP_NOT_FOUND,
        410: Failure.HTTP_GONE,
        429: Failure.HTTP_TOO_MANY,
    }
    if status_code in specific:
        return specific[status_code]
    if 300 <= status_code < 400:
        return Failure.HTTP_REDIRECT
    if 400 <= status_code < 500:
        return Failure.HTTP_CLIENT
    return Failure.HTTP_SERVER


def _causes(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def failure_for_exception(exc):
    """The kind of failure an exception from sending means (the HTTP client wraps the socket's
    own error, so the whole chain of causes is read)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure.CONNECT_TIMEOUT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return Failure.INVALID_URL
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return Failure.TLS
        if isinstance(cause, socket.gaierror):
            return Failure.DNS
        if isinstance(cause, ConnectionRefusedError):
            return Failure.REFUSED
        if isinstance(cause, TimeoutError | socket.timeout):
            return Failure.TIMEOUT
    text = str(exc).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return Failure.TLS
    if "connection refused" in text:
        return Failure.REFUSED
    return Failure.NETWORK


def explain(code, status_code=None):
    """Title and advice for a recorded failure; rows older than the kinds fall back on their
    HTTP status, and an unknown kind on a generic line."""
    if not code and status_code and not 200 <= status_code < 300:
        code = failure_for_status(status_code)
    if code in Failure.values:
        failure = Failure(code)
        return Explanation(failure.value, str(failure.label), str(ADVICE[failure]))
    return Explanation("", str(UNKNOWN_TITLE), str(UNKNOWN_ADVICE))
