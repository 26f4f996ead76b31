"""`make run` (the local settings, manage.py's default) serves without Django's debug pages
unless a developer asks for them with DEBUG=1 (or `make dev`): an unknown address must not list
the site's URL patterns in English."""

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import django
django.setup()
from django.conf import settings
print(settings.DEBUG)
"""


def run_settings(**environment):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.local", **environment)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return result.stdout.split()


def test_make_run_has_debug_off():
    assert run_settings() == ["False"]


def test_debug_1_is_the_developers_switch():
    assert run_settings(DEBUG="1") == ["True"]


def test_an_unknown_address_lists_no_url_patterns(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "URLconf" not in html
    assert "页面不存在" in html
