"""A channel's webhook receiver in a few dozen lines, as the integration guide describes it: it
verifies each message with ``standardwebhooks``, de-duplicates on ``webhook-id``, and hands each
new message to its handler once. It can also inject faults (a share of 500s, answers after the
sender's timeout, slow answers), so the demo, the tests and the benchmark exercise retries.

Used by ``manage.py demo_receiver``, by the tests and by ``bench/fanout.py``."""

import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY_BYTES = 5 * 1024 * 1024


@dataclass
class Faults:
    """Shares of requests that fail, each drawn independently per request."""

    error_rate: float = 0.0  # answered 500 without handling
    timeout_rate: float = 0.0  # handled, but answered only after hang_seconds
    slow_rate: float = 0.0  # answered 200 after slow_seconds
    hang_seconds: float = 15.0
    slow_seconds: float = 1.0
    seed: int | None = None


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A sender that gave up (its timeout) resets the connection: expected, not an error.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Receiver:
    """A threaded HTTP server receiving ``POST /hooks/<channel code>``.

    ``secrets_for(code)`` returns the signing secrets the channel holds (None: unknown channel).
    ``handled`` counts each (channel, event type, item id) handed to the handler: after
    de-duplication every count should be exactly 1."""

    def __init__(self, secrets_for, faults=None, host="127.0.0.1", port=0, log=None):
        self.secrets_for = secrets_for
        self.faults = faults or Faults()
        self.random = random.Random(self.faults.seed)
        self.log = log
        self.lock = threading.Lock()
        self.seen_ids = set()
        self.handled = Counter()
        self.stats = Counter()
        self.messages = []
        self.server = QuietServer((host, port), self.handler_class())
        self.thread = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def hook_url(self, code):
        return f"{self.url}/hooks/{code}"

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def draw(self):
        with self.lock:
            roll = self.random.random()
        f = self.faults
        if roll < f.error_rate:
            return "error"
        if roll < f.error_rate + f.timeout_rate:
            return "timeout"
        if roll < f.error_rate + f.timeout_rate + f.slow_rate:
            return "slow"
        return "ok"

    def receive(self, code, body, headers):
        """Verify, de-duplicate and handle one message; returns (HTTP status, text, fault)."""
        secrets = self.secrets_for(code)
        if secrets is None:
            return 404, "unknown channel", None
        message = None
        for secret in secrets:
            try:
                message = Webhook(secret).verify(body, headers)
                break
            except WebhookVerificationError:
                continue
        if message is None:
            with self.lock:
                self.stats["bad_signature"] += 1
            return 401, "bad signature", None
        fault = self.draw()
        if fault == "error":
            with self.lock:
                self.stats["injected_500"] += 1
            return 500, "injected failure", fault
        msg_id = headers.get("webhook-id")
        with self.lock:
            self.stats["requests_verified"] += 1
            if msg_id in self.seen_ids:
                self.stats["duplicates_dropped"] += 1
                return 200, "duplicate", fault
            self.seen_ids.add(msg_id)
            item_id = (message.get("data") or {}).get("id")
            self.handled[(code, message.get("type"), item_id)] += 1
            self.messages.append((code, msg_id, message))
        return 200, "ok", fault

    def handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                parts = self.path.strip("/").split("/")
                if len(parts) != 2 or parts[0] != "hooks":
                    return self.answer(404, "not found")
                length = int(self.headers.get("content-length") or 0)
                if length > MAX_BODY_BYTES:
                    return self.answer(413, "too large")
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, text, fault = receiver.receive(parts[1], body, headers)
                if fault == "timeout":
                    time.sleep(receiver.faults.hang_seconds)
                elif fault == "slow":
                    time.sleep(receiver.faults.slow_seconds)
                self.answer(status, text)
                if receiver.log:
                    receiver.log(f"{parts[1]} {headers.get('webhook-id')} → {status} {text}")

            def answer(self, status, text):
                data = json.dumps({"status": text}).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (its timeout): it will retry

            def log_message(self, format, *args):
                pass

        return Handler
