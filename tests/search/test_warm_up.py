"""What a new web worker does before it takes requests (portal.warmup, called by gunicorn): it
asks itself as the site is asked, and nothing it lacks yet stops it from serving."""

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler

from portal.warmup import ask, warm_up

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
