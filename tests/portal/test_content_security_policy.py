"""A Content-Security-Policy on every page: on the public site, the map included, scripts run only
from our own origin or with the response's nonce, never 'unsafe-inline'; the Wagtail admin gets
the strictest policy it works under, and the strict one as report-only."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

HEADER = "Content-Security-Policy"


def directives(header):
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def script_sources(response):
    return directives(response[HEADER])["script-src"]


@pytest.mark.parametrize("url", ["/", "/map/", "/search/?q=诈骗", "/laws/", "/no-such-page/"])
def test_public_pages_allow_no_inline_scripts(client, home, url):
    response = client.get(url)
    sources = script_sources(response)
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "'self'" in sources
    policy = directives(response[HEADER])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_map_script_runs_by_the_responses_nonce(client, home):
    response = client.get("/map/")
    html = response.content.decode()
    (nonce,) = [
        s.removeprefix("'nonce-").rstrip("'")
        for s in script_sources(response)
        if s.startswith("'nonce-")
    ]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    # JSON data blocks are not run; every inline script that runs carries the nonce.
    running = [attributes for attributes in inline if 'type="application/json"' not in attributes]
    assert running, "the map draws itself with an inline script"
    for attributes in running:
        assert f'nonce="{nonce}"' in attributes


def test_each_response_has_its_own_nonce(client, home):
    first = [s for s in script_sources(client.get("/map/")) if s.startswith("'nonce-")]
    second = [s for s in script_sources(client.get("/map/")) if s.startswith("'nonce-")]
    assert first != second


def test_the_admin_is_enforced_as_strictly_as_wagtail_allows_and_reports_the_rest(client, db):
    client.force_login(UserFactory(username="csp-admin", is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailadmin_home"))
    enforced = directives(response[HEADER])
    assert enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"]
    report_only = directives(response["Content-Security-Policy-Report-Only"])
    assert "'unsafe-inline'" not in report_only["script-src"]
