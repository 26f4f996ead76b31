"""A citizen searches on a phone: types 網絡詐騙 in traditional characters, gets the
反电信网络诈骗法 first with highlighted snippets, narrows to the portal's articles, and sees an
honest empty state for nonsense."""

import pytest
from playwright.sync_api import expect

from content.statutes import import_statutes, write_corpus
from search import indexing
from search.engines import reset_engine
from tests.factories import ArticlePageFactory
from tests.search.corpus import subset_laws

pytestmark = pytest.mark.browser


@pytest.fixture
def searchable(settings, tmp_path, topic):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    subset = tmp_path / "laws.jsonl.xz"
    write_corpus(subset_laws(), subset)
    import_statutes(subset)
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", summary="刷单返利都是骗局。")
    indexing.rebuild(progress=False)
    yield
    reset_engine()


def test_citizen_finds_the_law_in_traditional_chinese_on_a_phone(
    phone_page, live_server, searchable
):
    page = phone_page
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("检索词").fill("網絡詐騙")
    page.get_by_role("button", name="检索").click()

    expect(page.locator(".did-you-mean")).to_contain_text("网络诈骗")
    first = page.locator(".result").first
    expect(first).to_contain_text("中华人民共和国反电信网络诈骗法")
    expect(first.locator(".snippet mark").first).to_have_text("网络诈骗")

    page.locator(".facets").get_by_role("link", name="普法文章").click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result h2")).to_have_text("警惕新型电信网络诈骗")


def test_nonsense_gets_an_honest_empty_state(page, live_server, searchable):
    page.goto(f"{live_server.url}/search/?q=量子纠缠")
    expect(page.locator(".empty")).to_contain_text("没有找到与“量子纠缠”相关的内容")
    expect(page.locator(".result")).to_have_count(0)
