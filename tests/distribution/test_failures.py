"""Each way a delivery fails is recorded as its kind and explained to editors in plain Chinese
with what to do; the failures here are real ones, made against servers on this machine."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from distribution.failures import Failure, explain
from distribution.webhooks import close_http_client, send_webhook
from tests.distribution.factories import WebhookChannelFactory
from tests.processes import free_port


class Answer(BaseHTTPRequestHandler):
    """Answers every POST with the status in its path (/hooks/404 → 404)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        status = int(self.path.rsplit("/", 1)[-1])
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("location", "http://127.0.0.1:1/elsewhere")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def answering_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def send_to(regions, url):
    channel = WebhookChannelFactory(region=regions["wuhan"], webhook_url=url)
    return send_webhook(channel, "msg_test", {"type": "channel.test"})


@pytest.mark.parametrize(
    ("status", "kind", "title"),
    [
        (404, Failure.HTTP_NOT_FOUND, "接收地址不存在（HTTP 404）"),
        (410, Failure.HTTP_GONE, "接收地址已停用（HTTP 410）"),
        (401, Failure.HTTP_UNAUTHORIZED, "接收方要求登录（HTTP 401）"),
        (403, Failure.HTTP_FORBIDDEN, "接收方拒绝访问（HTTP 403）"),
        (429, Failure.HTTP_TOO_MANY, "接收方限流（HTTP 429）"),
        (422, Failure.HTTP_CLIENT, "接收方不接受这条消息"),
        (502, Failure.HTTP_SERVER, "接收方服务器出错"),
        (503, Failure.HTTP_SERVER, "接收方服务器出错"),
        (301, Failure.HTTP_REDIRECT, "接收地址已跳转"),
    ],
)
def test_each_http_answer_is_explained(regions, answering_server, status, kind, title):
    result = send_to(regions, f"{answering_server}/hooks/{status}")
    assert (result.succeeded, result.status_code, result.error_code) == (False, status, kind)
    assert explain(result.error_code, result.status_code).title == title


def test_a_404_says_what_to_do(regions, answering_server):
    result = send_to(regions, f"{answering_server}/hooks/404")
    assert explain(result.error_code).advice == (
        "对方服务器上没有这个接收地址，多半是地址填错或对方改了地址。请向渠道确认 Webhook 地址，"
        "在渠道设置中改正后点“重试”。"
    )


def test_nothing_listening_is_connection_refused(regions):
    port = free_port()  # closed again: nothing listens there
    result = send_to(regions, f"http://127.0.0.1:{port}/hooks/x")
    assert result.error_code == Failure.REFUSED
    assert explain(result.error_code).title == "连接被拒绝"


def test_https_to_a_server_that_speaks_no_tls_is_a_tls_failure(regions, answering_server):
    result = send_to(regions, answering_server.replace("http://", "https://") + "/hooks/200")
    assert result.error_code == Failure.TLS
    assert explain(result.error_code).title == "HTTPS 证书或加密连接有问题"


def test_a_receiver_that_never_answers_times_out(regions, settings):
    settings.DISTRIBUTION_REQUEST_TIMEOUT = 0.3
    close_http_client()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections, never answers
        result = send_to(regions, f"http://127.0.0.1:{silent.getsockname()[1]}/hooks/x")
    close_http_client()
    assert result.error_code == Failure.TIMEOUT
    assert explain(result.error_code).title == "接收方超时未应答"


def test_a_name_that_does_not_resolve_is_retried_not_given_up(regions, settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = []
    result = send_to(regions, "https://no-such-channel.invalid/hooks/x")
    assert (result.error_code, result.permanent) == (Failure.DNS, False)
    assert explain(result.error_code).title == "域名无法解析"


def test_an_internal_address_is_refused_for_safety_and_not_retried(regions, settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = []
    result = send_to(regions, "http://127.0.0.1:9/hooks/x")
    assert (result.error_code, result.permanent) == (Failure.UNSAFE_ADDRESS, True)
    assert explain(result.error_code).title == "地址指向内网或本机，已拒绝发送"


def test_rows_from_before_the_kinds_are_explained_by_their_status():
    assert explain("", 404).title == "接收地址不存在（HTTP 404）"
    assert explain("", None).title == "送达失败"
