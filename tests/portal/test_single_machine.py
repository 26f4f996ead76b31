"""`make run` serves as production does: gunicorn with several workers and DEBUG off, over plain
HTTP on 127.0.0.1, and manage.py in the same folder shares the server's key and database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests.processes import database_environment, free_port
from tests.processes import gunicorn as gunicorn_server

ROOT = Path(settings.BASE_DIR)
LOCAL_ONLY = {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG"}


def clean_environment(**extra):
    environment = {key: value for key, value in os.environ.items() if key not in LOCAL_ONLY}
    environment.update(extra)
    return environment


def test_two_processes_started_at_once_share_one_generated_key(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    code = (
        "import sys; from portal.settings.secret import machine_secret_key; "
        "print(machine_secret_key(sys.argv[1]))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(key_file)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=30)[0].strip() for process in processes}

    assert keys == {key_file.read_text().strip()}
    assert len(keys.pop()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_manage_py_uses_the_servers_settings_and_key():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; key = open('var/secret_key').read().strip(); "
            "print(s.SETTINGS_MODULE, s.DEBUG, s.SECRET_KEY == key)",
        ],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["portal.settings.local", "False", "True"]


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """The web process of `make run` (Procfile `web`), on the test database."""
    port = free_port()
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="portal.settings.local",
        WEB_PORT=str(port),
        WEB_CONCURRENCY="2",
        STATIC_ROOT=str(tmp_path / "static"),
        SEARCH_INDEX_DIR=str(tmp_path / "search-index"),
        **database_environment(),
    )
    # DEBUG off: hashed static files from a collectstatic, as `make run` does first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    base = f"http://127.0.0.1:{port}"
    with gunicorn_server(environment) as server:
        for _ in range(120):
            try:
                httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.5)
        yield base, server


def test_make_runs_web_process_is_gunicorn_with_debug_off_over_plain_http(gunicorn):
    base, server = gunicorn

    health = httpx.get(f"{base}/healthz")
    missing = httpx.get(f"{base}/no-such-page/")
    login = httpx.get(f"{base}/admin/", follow_redirects=True)

    assert health.status_code == 200
    assert health.headers["server"] == "gunicorn"
    assert missing.status_code == 404
    assert "页面不存在" in missing.text  # the portal's own page, not Django's debug listing
    assert "URLconf" not in missing.text
    assert login.status_code == 200
    assert str(login.url) == f"{base}/admin/login/?next=/admin/"  # no redirect to https
    server.terminate()
    output = server.communicate(timeout=30)[0]
    assert output.count("Booting worker with pid") == 2


def test_a_web_process_loads_its_views_and_the_map_builder_before_its_first_request():
    code = (
        "import sys; from portal import warmup, wsgi; before = 'geodata.maps' in sys.modules; "
        "warmup.load_code(); print(before, 'geodata.maps' in sys.modules, 'reach.views' in "
        "sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE="portal.settings.local"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
