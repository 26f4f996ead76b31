"""Another real process on the test's own database and shared cache, for the tests of what must
hold across processes (the shared cache's invalidation and rate limits, the roll-up lock).

    with DjangoProcess() as other:
        other.ask("coverage")         # runs a command in that process, returns its JSON answer

Run as a script, this module is that process: it sets Django up with the test settings on the
database the parent names, then answers one command per line on standard input."""

import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_environment():
    """The test's database, as the variables another process reads."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(database["NAME"])}
    return {
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@"
        f"{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    }


def child_environment(**extra):
    """The environment of a process that sees the test's database (and so its cache table) and
    its media folder."""
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PUFA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }
    env.pop("DATABASE_URL", None)
    return env | database_environment()


@contextlib.contextmanager
def gunicorn(environment):
    """The web server as `make run` starts it (deploy/gunicorn.conf.py), its log and errors in
    one pipe, stopped however the test ends."""
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def manage(*args, **extra):
    """Start ``manage.py`` with the given arguments in another process (Popen)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_environment(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class DjangoProcess:
    def __init__(self, **extra):
        self.extra = extra
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(Path(__file__).resolve())],
            cwd=ROOT,
            env=child_environment(**self.extra),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.ask("ready") == "ready"
        return self

    def ask(self, *command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the other process died"
        return json.loads(line)

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def serve():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.db import transaction
    from django.test import Client

    from reach import coverage, rollup
    from search.models import SearchQueryStat
    from tests.reach.conftest import BROWSER_UA

    held = None
    for line in sys.stdin:
        command, *args = json.loads(line)
        if command == "ready":
            answer = "ready"
        elif command == "coverage":
            # Through the cache, as the API and the map read it.
            regions = coverage.coverage(coverage.make_filter()).regions
            answer = next(r.views for r in regions if r.adcode == int(args[0]))
        elif command == "beacon":
            response = Client().post(
                "/api/reach/view/",
                json.dumps({"page": int(args[0])}),
                content_type="application/json",
                HTTP_USER_AGENT=BROWSER_UA,
                REMOTE_ADDR=args[1],
            )
            answer = response.status_code
        elif command == "hold-lock":
            held = transaction.atomic()
            held.__enter__()
            rollup.lock_day(datetime.date.fromisoformat(args[0]))
            answer = "locked"
        elif command == "count-search":
            SearchQueryStat.objects.record(args[0], int(args[1]))
            answer = "counted"
        elif command == "release":
            held.__exit__(None, None, None)
            answer = "released"
        else:
            answer = f"unknown command {command}"
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
