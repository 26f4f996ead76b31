"""search_reindex, search_verify and the demo loader, as an operator runs them."""

import io

import pytest
from django.core.management import CommandError, call_command

from search import demo, indexing
from search.engines import get_engine
from search.models import PendingChange
from tests.factories import ArticlePageFactory
from tests.search.corpus import PAGES

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.mark.parametrize("parallel_from", [5000, 1], ids=["in-process", "analysis-processes"])
def test_reindex_builds_everything_and_reports_it(
    site_index, statutes, topic, monkeypatch, parallel_from
):
    monkeypatch.setattr("search.engines.embedded.PARALLEL_FROM", parallel_from)
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗")
    output = run("search_reindex", verbosity=0)
    assert "检索索引已重建（embedded）" in output
    assert get_engine().count() == 433 + 1
    assert indexing.verify().ok  # the same documents whichever way they were analysed


def test_verify_finds_missing_stale_and_extra_documents_and_fix_repairs(
    site_index, statutes, topic
):
    page = ArticlePageFactory(parent=topic, title="冒充客服诈骗")
    indexing.rebuild(progress=False)
    assert "一致" in run("search_verify")

    page.title = "冒充电商客服退款诈骗"  # changed without publishing through Wagtail: stale
    page.save()
    added = ArticlePageFactory(parent=topic, title="刷单返利")  # missing
    get_engine().index_documents([PAGES[3]])  # extra: not a page of this site

    with pytest.raises(CommandError, match="不一致"):
        run("search_verify")
    report = indexing.verify()
    assert report.stale == [f"page:{page.pk}"]
    assert report.missing == [f"page:{added.pk}"]
    assert report.extra == ["page:4"]

    output = run("search_verify", "--fix")
    assert "检索索引与数据库一致" in output
    assert indexing.verify().ok
    assert not PendingChange.objects.pending().exists()


def test_demo_loader_builds_once_then_reuses_the_index(site_index, statutes):
    out = io.StringIO()
    demo.load(out)
    assert "检索索引已建立：433 条" in out.getvalue()
    generation = (site_index.directory / "CURRENT").read_text()

    again = io.StringIO()
    demo.load(again)
    assert "已建立" not in again.getvalue()  # the second `make run` starts in seconds
    assert "检索索引已就绪" in again.getvalue()
    assert (site_index.directory / "CURRENT").read_text() == generation
