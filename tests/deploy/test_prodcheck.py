"""make prod-check's own promises that need no services of the portal: it refuses to start on a
taken port, and the nginx configuration it shares with compose.yaml is complete, valid and sends
the page-view beacon to its own pool."""

import contextlib
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from deploy.prodcheck.services import NGINX_MODULE, Layout, Ports, fill
from tests.processes import free_port

ROOT = Path(settings.BASE_DIR)
NGINX = Path("/usr/sbin/nginx")


def test_prodcheck_refuses_to_start_when_one_of_its_ports_is_taken(tmp_path):
    # The other ports free ones, so a check running on this machine at the time (on the
    # defaults) cannot be the port this test finds taken.
    others = {
        f"PRODCHECK_{name}_PORT": str(free_port())
        for name in ("HTTP", "WEB", "RECEIVER", "POSTGRES", "BEACON")
    }
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "deploy.prodcheck"],
            cwd=ROOT,
            env={
                **os.environ,
                **others,
                "PRODCHECK_REDIS_PORT": str(port),
                "PRODCHECK_DIR": str(tmp_path),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert result.returncode == 2
    assert result.stdout.strip() == (
        f"prod-check: not started: port {port} (redis) is taken; free it or set "
        "PRODCHECK_REDIS_PORT"
    )
    assert list(tmp_path.iterdir()) == []  # nothing was started or written


def test_default_ports_keep_clear_of_make_run_and_compose():
    assert not {8000, 8001, 8080} & set(vars(Ports()).values())


def test_the_nginx_template_names_only_values_that_are_given(tmp_path):
    values = {
        "PORTAL_LISTEN": "127.0.0.1:8480",
        "PORTAL_UPSTREAM": "127.0.0.1:8481",
        "PORTAL_BEACON_UPSTREAM": "127.0.0.1:8485",
        "PORTAL_STATIC_ROOT": str(tmp_path / "static"),
        "PORTAL_MEDIA_ROOT": str(tmp_path / "media"),
        "PORTAL_CACHE_DIR": str(tmp_path / "cache"),
        "PORTAL_PURGE_FROM": "127.0.0.1",
    }
    text = fill(ROOT / "deploy/nginx/portal.conf.template", values)

    assert re.findall(r"\$\{[A-Z_]+\}", text) == []
    dockerfile = (ROOT / "deploy/nginx/Dockerfile").read_text()
    assert all(f"${{{name}}}" in dockerfile for name in values)  # compose fills the same ones


@pytest.mark.skipif(not NGINX_MODULE.exists(), reason="Debian's nginx with the purge module")
def test_the_nginx_configuration_prodcheck_writes_is_valid(tmp_path):
    layout = Layout(tmp_path, Ports(), log=print)
    prefix = tmp_path / "nginx"
    (prefix / "cache").mkdir(parents=True)
    layout.write_nginx_config(prefix, tmp_path / "static", tmp_path / "media")

    result = subprocess.run(
        [NGINX, "-t", "-p", prefix, "-c", prefix / "nginx.conf"], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


class Upstream(http.server.ThreadingHTTPServer):
    """Stands in for one gunicorn pool: answers every request with its own name and the path."""

    def __init__(self, port, name):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = f"{name} {self.command} {self.path}".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", port), Handler)
        self.daemon_threads = True

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


@contextlib.contextmanager
def nginx_in_front(tmp_path, ports):
    """nginx as prod-check runs it, in front of the given ports; stopped by its process id."""
    layout = Layout(tmp_path, ports, log=print)
    try:
        layout.nginx(tmp_path / "static", tmp_path / "media")
        yield f"http://127.0.0.1:{ports.http}"
    finally:
        layout.stop_all()


@pytest.mark.skipif(not NGINX_MODULE.exists(), reason="Debian's nginx with the purge module")
def test_nginx_sends_the_beacon_to_its_own_pool_and_everything_else_to_the_web_pool(tmp_path):
    ports = Ports(http=free_port(), web=free_port(), beacon=free_port())
    with (
        Upstream(ports.web, "web"),
        Upstream(ports.beacon, "beacon"),
        nginx_in_front(tmp_path, ports) as base,
    ):
        beacon = httpx.post(f"{base}/api/reach/view/", json={"page": 3})
        search = httpx.get(f"{base}/search/?q=%E5%8A%B3%E5%8A%A8")
        other_api = httpx.post(f"{base}/api/reach/reports/", json={})

    assert beacon.text == "beacon POST /api/reach/view/"
    assert search.text == "web GET /search/?q=%E5%8A%B3%E5%8A%A8"
    assert other_api.text == "web POST /api/reach/reports/"


@pytest.mark.skipif(not NGINX_MODULE.exists(), reason="Debian's nginx with the purge module")
def test_with_the_beacon_pool_down_the_web_pool_takes_the_beacons(tmp_path):
    ports = Ports(http=free_port(), web=free_port(), beacon=free_port())  # nothing on beacon
    with Upstream(ports.web, "web"), nginx_in_front(tmp_path, ports) as base:
        beacon = httpx.post(f"{base}/api/reach/view/", json={"page": 3})

    assert beacon.text == "web POST /api/reach/view/"
