"""A citizen searches on a phone: types 網絡詐騙 in traditional characters, gets the
反电信网络诈骗法 first with the question's words marked, narrows to the portal's articles through
the folded filters, and sees an honest empty state for nonsense; asks the three questions of
everyday life and finds the answering article on the first screen."""

import pytest
from playwright.sync_api import expect

from content.statutes import import_statutes, read_corpus, short_name_of, write_corpus
from search import indexing
from search.engines import reset_engine
from tests.factories import ArticlePageFactory
from tests.search.corpus import subset_laws

# The laws that answer the three questions (and the 劳动合同法 of the subset).
QUESTION_LAWS = {"社会保险法", "民法典", "劳动合同法", "劳动争议调解仲裁法", "公司法"}

pytestmark = pytest.mark.browser


def index_laws(settings, tmp_path, laws, build_pages=lambda: None):
    """These laws imported and indexed (with the pages build_pages makes) in this test's index."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_engine()
    subset = tmp_path / "laws.jsonl.xz"
    write_corpus(laws, subset)
    import_statutes(subset)
    build_pages()
    indexing.rebuild(progress=False)


@pytest.fixture
def searchable(settings, tmp_path, topic):
    def pages():
        ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", summary="刷单返利都是骗局。")

    index_laws(settings, tmp_path, subset_laws(), pages)
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
    best = page.locator(".best-answer")
    expect(best.locator("h2")).to_contain_text("中华人民共和国反电信网络诈骗法")
    expect(best.locator("h2")).to_be_in_viewport()
    expect(best.locator(".article-text mark").first).to_contain_text("网络诈骗")

    filters = page.locator(".facets")
    expect(filters.get_by_role("link", name="普法文章")).to_be_hidden()  # folded on a phone
    filters.locator("summary").click()
    filters.get_by_role("link", name="普法文章").click()
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result h3")).to_have_text("警惕新型电信网络诈骗")


def test_nonsense_gets_an_honest_empty_state(page, live_server, searchable):
    page.goto(f"{live_server.url}/search/?q=量子纠缠")
    expect(page.locator(".empty")).to_contain_text("没有找到与“量子纠缠”相关的内容")
    expect(page.locator(".result")).to_have_count(0)


@pytest.fixture
def library(settings, tmp_path, topic):
    laws = [law for law in read_corpus() if short_name_of(law["name"]) in QUESTION_LAWS]
    index_laws(settings, tmp_path, laws)
    yield
    reset_engine()


@pytest.mark.parametrize(
    ("question", "answers"),
    [
        ("工伤了老板不给报销医药费怎么办", ["劳动争议调解仲裁法 第九条", "社会保险法 第四十一条"]),
        ("物业不修电梯还要交物业费吗", ["民法典 第九百四十四条", "民法典 第九百四十二条"]),
        ("公司不给交社保可以辞职要补偿吗", ["劳动合同法 第三十八条", "劳动合同法 第四十六条"]),
    ],
)
def test_an_everyday_question_is_answered_on_the_first_phone_screen(
    phone_page, live_server, library, question, answers
):
    page = phone_page
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("检索词").fill(question)
    page.get_by_role("button", name="检索").click()
    expect(page.locator(".best-answer .article-text")).to_be_in_viewport()
    titles = page.locator(".best-answer h2, .best-answer .also a")
    on_screen = [
        titles.nth(i).inner_text().removeprefix("中华人民共和国")
        for i in range(titles.count())
        if _in_viewport(page, titles.nth(i))
    ]
    assert set(on_screen) & set(answers)


def _in_viewport(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
