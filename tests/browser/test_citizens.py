"""A citizen on a phone (Pixel 7, 412 px wide): searches from the home page, turns on 长辈模式 and
finds it still on at the next page, reads the footer and the legal-aid call, and opens the
普法地图, which fits the screen with its regions named and its legend folded away."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from portal import demo
from tests.browser.map_helpers import click_region
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.browser

FONT_SIZE = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


@pytest.fixture
def article(topic):
    demo.save_site_information(Site.objects.get(is_default_site=True), demo.DEMO_SITE_INFORMATION)
    return ArticlePageFactory(
        parent=topic,
        title="高空抛物，谁来担责？",
        body=[("paragraph", "<p>小区里的高空抛物，伤人之后谁来担责？</p>")],
    )


def test_a_citizen_searches_from_the_home_page(phone_page, article):
    page = phone_page
    page.goto("/")
    box = page.get_by_role("searchbox", name="查法律、找答案")
    expect(box).to_be_visible()
    box.fill("高空抛物")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E9%AB%98%E7%A9%BA%E6%8A%9B%E7%89%A9$"))
    expect(page.locator("#search-q")).to_have_value("高空抛物")


def test_every_other_page_has_the_search_box_in_its_header(phone_page, article):
    page = phone_page
    page.goto(article.url)
    page.get_by_role("searchbox", name="检索法律、文章和视频").fill("诈骗")
    page.get_by_role("search").get_by_role("button", name="检索").click()
    expect(page.locator("#search-q")).to_have_value("诈骗")


def test_elder_mode_enlarges_the_text_and_stays_on_at_the_next_page(phone_page, article):
    page = phone_page
    page.goto(article.url)
    paragraph = "article.content .body p"
    normal = page.evaluate(FONT_SIZE, paragraph)
    toggle = page.get_by_role("button", name="长辈模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(FONT_SIZE, paragraph) / normal >= 1.25
    # Near-black text on white, and tap targets of at least 60 px.
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.get_by_role("link", name="法律法规库").bounding_box()["height"] >= 60

    breadcrumb = page.get_by_role("navigation", name="当前位置")
    breadcrumb.get_by_role("link", name="反电信网络诈骗").click()
    expect(page).to_have_url(re.compile(r"/fanzha/$"))
    expect(page.get_by_role("button", name="长辈模式")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(FONT_SIZE, "main p") / normal >= 1.25

    page.get_by_role("button", name="长辈模式").click()
    page.goto("/")
    expect(page.get_by_role("button", name="长辈模式")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(FONT_SIZE, "html") == 16


def test_the_footer_and_the_legal_aid_call_on_a_phone(phone_page, article):
    page = phone_page
    page.goto(article.url)
    aid = page.get_by_role("complementary", name="遇到法律问题？")
    expect(aid.get_by_role("link", name="拨打 12348")).to_have_attribute("href", "tel:12348")
    footer = page.get_by_role("contentinfo")
    expect(footer.locator("dt", has_text="主办单位").locator("+ dd")).to_have_text(
        "湖北省司法厅（演示）"
    )
    expect(footer.get_by_role("link", name="鄂ICP备00000000号-1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    assert page.title() == "高空抛物，谁来担责？ · 湖北网络普法"


def test_the_map_fits_a_phone_with_names_and_a_folded_legend(phone_page, home):
    page = phone_page
    # The first map a process draws loads geopandas and the shapes: seconds, more on a busy machine.
    page.goto("/map/", timeout=90_000)
    expect(page.locator("path.geodata-region")).to_have_count(17)
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    box = page.locator(".geodata-map").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 412

    expect(page.locator(".geodata-label span", has_text="武汉")).to_be_visible()
    expect(page.locator(".geodata-label span", has_text="恩施州")).to_be_visible()

    legend = page.locator(".geodata-legend details")
    expect(legend).not_to_have_attribute("open", "")
    heading = legend.locator("strong")
    expect(heading).to_be_hidden()
    legend.locator("summary").click()
    expect(legend).to_have_attribute("open", "")
    end = timezone.localdate()
    start = end - datetime.timedelta(days=29)
    expect(heading).to_have_text(f"每万人上报阅读量（地级） · {start} 至 {end}")

    expect(page.get_by_role("button", name="图层")).to_be_visible()
    expect(page.get_by_text("送达状态：全部送达")).to_be_hidden()

    click_region(page, 420100)
    expect(page.locator(".geodata-label span", has_text="黄陂区")).to_be_visible()
    expect(page.locator(".geodata-label span", has_text="恩施州")).to_have_count(0)


# Each piece of text of the 普法地图 page, by a selector that finds it.
MAP_TEXTS = {
    "region name": ".geodata-label span",
    "legend": ".geodata-legend summary",
    "full-screen button": ".geodata-fullscreen button",
    "zoom button": ".leaflet-control-zoom-in",
    "the measure form's button": ".reach-filters button",
}


def map_text_sizes(page):
    page.goto("/map/", timeout=90_000)
    expect(page.locator("path.geodata-region")).to_have_count(17)
    return {name: page.evaluate(FONT_SIZE, selector) for name, selector in MAP_TEXTS.items()}


def test_elder_mode_enlarges_the_maps_own_text_too(phone_page, home):
    page = phone_page
    normal = map_text_sizes(page)
    page.get_by_role("button", name="长辈模式").click()
    larger = map_text_sizes(page)
    ratios = {name: round(larger[name] / normal[name], 2) for name in MAP_TEXTS}
    assert ratios == dict.fromkeys(MAP_TEXTS, 1.25)
