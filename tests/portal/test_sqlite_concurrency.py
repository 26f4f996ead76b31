"""On a single machine the web server, the task worker and the reach beacon write to one SQLite
file at once. With the settings in portal/settings/base.py (WAL, BEGIN IMMEDIATE, a busy
timeout) concurrent writers wait for each other instead of failing with "database is locked"."""

import copy
import threading
import time

import pytest
from django.db import connections, transaction

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "sqlite", reason="SQLite's locking only"
)


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """Registers a database alias on a fresh SQLite file with the project's own options
    (tests otherwise run on an in-memory database, which has no file locking)."""
    aliases = []

    def register(alias, **options):
        settings_dict = copy.deepcopy(connections["default"].settings_dict)
        settings_dict["NAME"] = str(tmp_path / "concurrency.sqlite3")
        settings_dict["OPTIONS"].update(options)
        connections.settings[alias] = settings_dict
        aliases.append(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, text TEXT)")
        connections[alias].close()
        return alias

    with django_db_blocker.unblock():
        yield register
        for alias in aliases:
            connections[alias].close()
            del connections.settings[alias]


def write_at_once(alias, writers=2):
    """Each writer reads, pauses, then writes in one transaction, all starting together: the
    pattern of a request or task that checks something before recording it."""
    start = threading.Barrier(writers)
    errors = []

    def write(number):
        connection = connections[alias]  # each thread has its own connection
        try:
            start.wait()
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM note")
                time.sleep(0.3)
                cursor.execute("INSERT INTO note (text) VALUES (%s)", [f"writer {number}"])
        except Exception as exc:  # recorded: the test asserts on what failed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM note")
        (rows,) = cursor.fetchone()
    return rows, errors


def test_the_project_database_is_in_wal_mode_with_a_busy_timeout(sqlite_file):
    alias = sqlite_file("project-pragmas")
    with connections[alias].cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20000,)
    assert connections[alias].settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_writers_at_once_both_succeed(sqlite_file):
    rows, errors = write_at_once(sqlite_file("project-settings"))
    assert errors == []
    assert rows == 2


def test_without_immediate_transactions_one_writer_would_fail(sqlite_file):
    """The control: the same writers with SQLite's default deferred transactions collide,
    which shows the test above exercises the real problem."""
    rows, errors = write_at_once(sqlite_file("deferred", transaction_mode="DEFERRED"))
    assert [str(error) for error in errors] == ["database is locked"]
    assert rows == 1
