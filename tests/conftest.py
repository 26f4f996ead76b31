"""Fixtures every test suite may use. App fixtures live in tests/<app>/conftest.py."""

import shutil
from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from reach import api as reach_api
from reach import counting
from search import indexing
from search.engines import reset_engine
from tests.factories import TopicIndexPageFactory, make_site
from tests.validity import VNU

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(config, items):
    """Transactional tests (the browser tests, tests that run a worker in a thread) end by
    emptying every table, which would also wipe what data migrations created: Wagtail's root
    page, the editorial groups and the 法律审核 workflow. Give each of them a serialized rollback
    so the next test starts from the migrated database again, whichever order they run in."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None:
            continue
        marker = item.get_closest_marker("django_db")
        transactional = bool(TRANSACTIONAL_FIXTURES & set(names)) or (
            marker is not None and marker.kwargs.get("transaction", False)
        )
        if transactional and "django_db_serialized_rollback" not in names:
            names.append("django_db_serialized_rollback")
        if transactional and marker is not None:
            # pytest-django decides which databases to serialize from the marker alone, when
            # there is one: say it there too, or a run of marked tests only restores nothing.
            serialized = pytest.mark.django_db(
                *marker.args, **{**marker.kwargs, "serialized_rollback": True}
            )
            item.add_marker(serialized, append=False)


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """What a process keeps in memory for a minute (channels by tracked-link code, today's
    salt, items the beacon may count) starts empty in every test: a channel of an earlier test,
    flushed from the database since, must not be found by its code."""
    counting._salt_cache.clear()
    counting._channels.clear()
    reach_api._pages.clear()


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def topic(home):
    return TopicIndexPageFactory(parent=home, title="反电信网络诈骗", slug="fanzha")


@pytest.fixture
def run_tasks(db):
    """Runs the real database task worker until the queue is empty, as `db_worker` does in
    production: `run_tasks()` after the code under test has enqueued its tasks. Use it instead of
    an immediate backend wherever a task is deferred, retried or must run in its own transaction.
    """

    def run(queue_name="*"):
        # The worker's own loop, without the signal handlers its command installs, and sharing
        # the test's connection: the loop's close_old_connections() would close it mid-test.
        with mock.patch(f"{Worker.__module__}.close_old_connections"):
            Worker(
                queue_names=queue_name.split(","),
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="pytest",
                excluded_queue_names=[],
            ).run()

    return run


@pytest.fixture
def search_index(settings, tmp_path):
    """The portal's own search engine in a folder of this test; call it to index what has been
    published so far."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    yield lambda: indexing.rebuild(progress=False)
    reset_engine()


@pytest.fixture
def vnu():
    """The command that runs the Nu HTML Checker (tests/validity.py)."""
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make install` (npm ci)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: apt-get install default-jre-headless")
    return [java, "-jar", str(VNU)]
