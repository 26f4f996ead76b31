import pytest
from django.test import override_settings

from distribution.receiver import Faults, Receiver
from distribution.webhooks import close_http_client
from tests.distribution.factories import hubei_sample
from tests.factories import ArticlePageFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_delivery_settings():
    """Short timeouts and backoff so retries happen within a test; loopback allowed for the
    local receivers (the SSRF tests override this)."""
    with override_settings(
        DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"],
        DISTRIBUTION_CONNECT_TIMEOUT=2.0,
        DISTRIBUTION_REQUEST_TIMEOUT=2.0,
        DISTRIBUTION_RETRY_BASE=0.01,
        DISTRIBUTION_RETRY_CEILING=0.05,
        DISTRIBUTION_CONCURRENCY=8,
    ):
        close_http_client()  # the shared client picks up the timeouts above
        yield
    close_http_client()


@pytest.fixture
def regions(db):
    return hubei_sample()


@pytest.fixture
def article(topic):
    page = ArticlePageFactory(parent=topic, title="遇到电信诈骗怎么办", slug="fanzha-guide")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def editor(db):
    return UserFactory(username="editor-d", groups=["编辑"])


@pytest.fixture
def official(db):
    return UserFactory(username="official-d", groups=["官员"])


@pytest.fixture
def receiver():
    """A local webhook receiver; channels are registered in receiver.secrets (code → keys)."""
    secrets = {}
    instance = Receiver(secrets.get, Faults(seed=7))
    instance.secrets = secrets
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def drain(transactional_db, run_tasks):
    """Run the worker until no task is left, including retries queued for a little later.
    Transactional: the worker's loop closes connections that are inside a transaction, as a
    test's would be, and each of its tasks commits on its own as in production."""
    import time

    from django_tasks_db.models import DBTaskResult

    def run(timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            run_tasks()
            if not DBTaskResult.objects.filter(status="READY").exists():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"tasks still queued after {timeout} s")
            time.sleep(0.02)

    return run
