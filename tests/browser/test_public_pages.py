"""What a citizen sees in a real browser: the home page on a phone, and an article quoting the
law through the citation block."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    TopicIndexPageFactory,
)

pytestmark = pytest.mark.browser

ARTICLE_1254 = (
    "禁止从建筑物中抛掷物品。从建筑物中抛掷物品或者从建筑物上坠落的物品造成他人损害的，"
    "由侵权人依法承担侵权责任。"
)


@pytest.fixture
def civil_code(db):
    statute = StatuteFactory(law_id="minfadian", name="中华人民共和国民法典", short_name="民法典")
    StatuteArticleFactory(
        statute=statute,
        position=1260,
        number=1254,
        chapter="第七编 侵权责任",
        text=ARTICLE_1254,
    )
    return statute


@pytest.fixture
def article(topic, civil_code):
    return ArticlePageFactory(
        parent=topic,
        title="高空抛物，谁来担责？",
        summary="高空抛物伤人，民法典怎么说。",
        source="湖北网络普法",
        author="编辑部",
        body=[
            ("paragraph", "<p>小区里的高空抛物，伤人之后谁来担责？</p>"),
            ("statute_citation", {"statute": civil_code, "article": "1254"}),
        ],
    )


def test_home_page_on_a_phone_shows_content_without_sideways_scrolling(
    phone_page, home, topic, article
):
    TopicIndexPageFactory(parent=home, title="未成年人保护")
    phone_page.goto("/")

    expect(phone_page.locator("h1").first).to_be_visible()
    expect(phone_page.get_by_text("学法、守法、用法，一键送达全省。")).to_be_visible()
    expect(phone_page.get_by_role("link", name="高空抛物，谁来担责？").first).to_be_visible()
    expect(phone_page.get_by_role("link", name="未成年人保护").first).to_be_attached()
    assert phone_page.evaluate("document.documentElement.lang") == "zh-hans"
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone's screen"


def test_article_quotes_the_law_exactly_and_links_to_it(page, article):
    page.goto(article.url)

    expect(page.locator("h1")).to_have_text("高空抛物，谁来担责？")
    expect(page.locator(".meta")).to_contain_text("来源：湖北网络普法")
    expect(page.locator(".reading-time")).to_contain_text("阅读约")
    citation = page.locator(".statute-citation")
    expect(citation.locator("blockquote")).to_have_text(ARTICLE_1254)
    expect(citation).to_contain_text("《中华人民共和国民法典》第一千二百五十四条")

    citation.get_by_role("link", name="《中华人民共和国民法典》第一千二百五十四条").click()
    expect(page).to_have_url(f"{page.url.split('/laws/')[0]}/laws/minfadian/1254/")
    expect(page.get_by_text(ARTICLE_1254).first).to_be_visible()
