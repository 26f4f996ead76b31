"""A new web worker answers its first search about as fast as its later ones: gunicorn warms each
worker (URLconfs, the analyser's dictionary, the thesaurus, the index) before it takes requests,
so none of that is paid inside a citizen's request. Measured as a ratio in one process, never
against a clock."""

import statistics
import time

import httpx
import pytest

from search import indexing
from search.engines.embedded import EmbeddedEngine
from search.models import SearchQueryStat
from tests.portal.test_single_machine import clean_environment
from tests.processes import database_environment, free_port, gunicorn

QUESTIONS = [
    "公司不签劳动合同怎么办",
    "接到诈骗电话怎么举报",
    "孩子沉迷网络游戏学校管不管",
    "商家欺诈消费者怎么赔偿",
    "试用期工资最低多少",
    "经营者泄露个人信息",
    "网络游戏充值未成年人退款",
]


@pytest.fixture
def one_worker(transactional_db, statutes, tmp_path):
    """One gunicorn worker with one thread over the test laws, ready once it says it warmed up."""
    index_dir = tmp_path / "search-index"
    indexing.rebuild(EmbeddedEngine(index_dir), progress=False)
    port = free_port()
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="portal.settings.local",
        WEB_PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="1",
        STATIC_ROOT=str(tmp_path / "static"),
        SEARCH_INDEX_DIR=str(index_dir),
        **database_environment(),
    )
    with gunicorn(environment) as server:
        log = []
        while not any("worker warmed up" in line for line in log):
            line = server.stdout.readline()
            assert line, "".join(log)
            log.append(line)
        yield f"http://127.0.0.1:{port}", log


def asked(client, q):
    started = time.perf_counter()
    response = client.get("/api/search/", params={"q": q})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, response.json()


def test_a_new_workers_first_search_costs_about_what_a_later_one_does(one_worker):
    base, _ = one_worker
    # A new connection for each request, so the first pays for nothing the later ones do not.
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base, timeout=60, limits=no_keepalive) as client:
        first, answer = asked(client, QUESTIONS[0])
        later = [asked(client, q)[0] for q in QUESTIONS[1:]]

    assert answer["total"] > 0
    # Cold, the first search would load the URLconfs, the dictionary, the thesaurus and the
    # index: hundreds of times a warm one. Warm, it still opens its thread's database connection.
    assert first / statistics.median(later) < 5


def test_warming_up_asks_nothing_the_editors_report_would_count(one_worker):
    _, log = one_worker
    assert any("search warmed up" in line for line in log)
    assert SearchQueryStat.objects.count() == 0
