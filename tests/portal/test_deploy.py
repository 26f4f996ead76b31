"""Production settings: Django's deployment checklist passes, and a missing secret stops it."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# Variables of this test run that a deployment would not have (the browser tests allow the ORM
# beside Playwright's event loop, which check --deploy rightly refuses).
LOCAL_ONLY = {
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, **env):
    """Runs manage.py in a clean process: production settings are read once, at start-up."""
    environment = {key: value for key, value in os.environ.items() if key not in LOCAL_ONLY}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings_with_a_real_secret_key(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pufa.hubei.gov.cn",
        SQLITE_PATH=str(tmp_path / "deploy.sqlite3"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    environment = {"ALLOWED_HOSTS": "pufa.hubei.gov.cn", "SQLITE_PATH": str(tmp_path / "x.db")}
    result = manage("check", "--settings=portal.settings.production", **environment)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
