"""Many processes, one truth: a roll-up in one process makes every other process's cached
coverage stale, a rate limit reached through one process holds in another (the database cache by
default, Redis with REDIS_URL), and one day rolls up once at a time however many workers try.
Each test runs a second, real process on the test's database."""

import shutil
import subprocess
import time

import pytest
from django.utils import timezone

from portal.settings.base import shared_caches
from reach.models import DailyReach
from tests.processes import DjangoProcess, free_port, manage
from tests.reach.factories import page_loads, roll_up

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def redis_url():
    """A Redis server of our own for these tests (Debian's redis-server), stopped after."""
    binary = shutil.which("redis-server")
    assert binary, (
        "redis-server is needed for the shared-cache tests (apt-get install redis-server)"
    )
    port = free_port()  # each test process its own server
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The cache both processes use: the default database cache, or Redis."""
    if request.param == "database":
        assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
        return {}
    url = request.getfixturevalue("redis_url")
    settings.CACHES = shared_caches(url)  # what REDIS_URL gives the other process
    return {"REDIS_URL": url}


def test_a_roll_up_here_makes_the_other_process_serve_fresh_coverage(
    shared_cache, article, channel
):
    roll_up()
    with DjangoProcess(**shared_cache) as other:
        assert other.ask("coverage", 420100) == 0  # computed there, and cached
        page_loads(article, 5, "jiangan")
        assert other.ask("coverage", 420100) == 0  # no roll-up yet: the cached answer holds
        roll_up()  # in this process
        assert other.ask("coverage", 420100) == 5


def test_a_rate_limit_reached_here_holds_in_the_other_process(
    shared_cache, settings, client, article
):
    settings.REACH_BEACON_RATE = "3/m"
    flood = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    statuses = [
        client.post(
            "/api/reach/view/",
            f'{{"page": {article.pk}}}',
            content_type="application/json",
            REMOTE_ADDR="192.0.2.77",
            **flood,
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [204, 204, 204]
    with DjangoProcess(REACH_BEACON_RATE="3/m", **shared_cache) as other:
        assert other.ask("beacon", article.pk, "192.0.2.77") == 429
        assert other.ask("beacon", article.pk, "192.0.2.78") == 204


def test_a_second_roll_up_of_a_day_waits_for_the_first_and_leaves_one_row(article, channel):
    page_loads(article, 4, "jiangan", readers=3)
    today = timezone.localdate().isoformat()
    roll_up()
    with DjangoProcess() as first:
        assert first.ask("hold-lock", today) == "locked"
        second = manage("reach_rollup", "--date", today)
        started = second.stdout.readline()  # it has started (Django is up) and goes for the day
        assert started == f"汇总 1 天（{today} 至 {today}）…\n"
        time.sleep(3)
        assert second.poll() is None  # waiting for the first, not skipping or failing
        assert first.ask("release") == "released"
        out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert f"{today}：已汇总（4 条原始浏览记录）" in out
    row = DailyReach.objects.get()
    assert (row.views, row.visitors) == (4, 3)


def test_two_workers_rolling_up_at_once_leave_no_duplicate_rows(article, channel, other_channel):
    page_loads(article, 6, "jiangan")
    page_loads(article, 2, "yidu")
    page_loads(article, 3)
    today = timezone.localdate().isoformat()
    workers = [manage("reach_rollup", "--date", today) for _ in range(2)]
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    assert DailyReach.objects.count() == 3
    assert sorted(DailyReach.objects.values_list("views", flat=True)) == [2, 3, 6]
