"""Every kind of public page is valid HTML by the Nu HTML Checker (the W3C's validator, from the
npm package vnu-jar, run with Java): zero errors."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.portal.pages import public_pages

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def vnu():
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make install` (npm ci)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: apt-get install default-jre-headless")
    return [java, "-jar", str(VNU)]


def test_public_pages_are_valid_html(client, topic, tmp_path, vnu, search_index):
    pages = public_pages(topic)
    search_index()
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = name

    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *sorted(tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
