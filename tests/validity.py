"""The Nu HTML Checker (the W3C's validator, from the npm package vnu-jar, run with Java), for
the tests of any page: ``html_errors(vnu, client, {name: url}, folder)``; ``vnu`` is the fixture
in tests/conftest.py."""

import json
import subprocess
from pathlib import Path

from django.conf import settings

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(vnu, client, pages, folder):
    """The checker's errors in each of the pages ({name: url}), as 'name line N: message'."""
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        path = folder / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = name

    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *sorted(folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{files.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
