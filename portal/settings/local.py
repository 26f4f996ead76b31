"""One machine served the way production serves it (`make run`, and manage.py's default, so that
an operator's command acts on the database, cache and key the server uses): DEBUG off, static
files collected and served by WhiteNoise, SQLite, the embedded search engine and the database
task worker. Plain HTTP on 127.0.0.1: nothing in front terminates TLS, so there is no redirect to
HTTPS and cookies are not marked secure-only. DEBUG=1 (or `make dev`) for developers."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import DISTRIBUTION_DEMO_RECEIVER_URL, env

DEBUG = env.bool("DEBUG", default=False)

# The local demo receiver (manage.py demo_receiver, started by `make run`) may receive webhooks.
DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = env.list(
    "DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS", default=[urlsplit(DISTRIBUTION_DEMO_RECEIVER_URL).netloc]
)
