"""What a new web worker does before it takes requests (portal.warmup, called by gunicorn): it
asks itself as the site is asked, and nothing it lacks yet stops it from serving."""

import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from portal.warmup import ask, warm_up
from tests.processes import child_environment

# Requests go through the WSGI handler itself, which closes connections as a server does.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_asks_itself_as_a_request_the_site_accepts(settings, site_index):
    settings.ALLOWED_HOSTS = [".pufa.example.cn"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ask(WSGIHandler(), "/api/search/?q=") == "200 OK"


def test_a_worker_with_no_search_index_yet_still_warms_up_and_says_so(site_index, caplog):
    with caplog.at_level(logging.INFO, logger="search.service"):
        warm_up(WSGIHandler())
    assert "search warm-up without the engine: 检索索引尚未建立" in caplog.messages


def test_what_the_warm_up_loaded_is_kept_out_of_every_full_garbage_collection():
    """A full collection in a warmed-up worker walks only what requests made since, not the
    modules and tables loaded for the worker's life (walking those held the worker's every
    thread for up to 0.9 s)."""
    code = (
        "import gc, django; django.setup(); "
        "from django.core.handlers.wsgi import WSGIHandler; from portal.warmup import warm_up; "
        "warm_up(WSGIHandler()); print(len(gc.get_objects()), gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode == 0, result.stderr
    walked, frozen = map(int, result.stdout.split())
    assert walked / (walked + frozen) < 0.01
