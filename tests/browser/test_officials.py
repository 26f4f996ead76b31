"""An official in Chromium: logs in with the form and lands on the coverage dashboard, whose
headline figures compare the period with the one before, whose map names the regions and opens
full screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from geodata.maps import build_map, map_parts
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, VideoPageFactory
from tests.reach.factories import (
    ChannelFactory,
    OfficialFactory,
    reach_in_two_periods,
    region,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def map_builder_loaded(db):
    """The first map a process draws loads geopandas, Folium and the shapes: seconds, more on a
    busy machine. Paid here, so the log-in's wait for its page is about the log-in."""
    map_parts(build_map({}))


def test_an_official_logs_in_and_lands_on_the_dashboard_with_a_full_screen_map(new_context, home):
    OfficialFactory(username="official", scope=None)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "official")
    page.fill("#id_password", "pw-for-tests")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/admin/coverage/\s*$"))
    expect(page.get_by_role("heading", name="覆盖看板")).to_be_visible()
    expect(page.locator(".geodata-label span", has_text="武汉")).to_be_visible()
    # The legend folds with its ▸/▾ marker, though the admin's CSS makes every summary a block.
    expect(page.locator(".geodata-legend-fold summary").first).to_have_css("display", "list-item")

    full = page.get_by_role("button", name="全屏")
    full.click()
    expect(page.get_by_role("button", name="退出全屏")).to_have_attribute("aria-pressed", "true")
    box = page.locator(".geodata-map").bounding_box()
    assert (box["width"], box["height"]) == (1280, 900)
    page.get_by_role("button", name="退出全屏").click()
    expect(page.get_by_role("button", name="全屏")).to_have_attribute("aria-pressed", "false")
    assert page.locator(".geodata-map").bounding_box()["width"] < 1280


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.get_by_role("button", name="登录").click()


def test_a_prefecture_official_sees_its_headline_figures_against_the_last_period(
    new_context, home, client, map_builder_loaded
):
    topic = TopicIndexPageFactory(parent=home, title="反诈", slug="fanzha")
    published = {"first_published_at": timezone.now() - datetime.timedelta(days=60)}
    article = ArticlePageFactory(parent=topic, title="防范电信网络诈骗十问", **published)
    video = VideoPageFactory(parent=topic, title="反诈动画：一通电话", **published)
    jiangan = ChannelFactory(region=region(420102), code="jiangan", token=True)
    yidu = ChannelFactory(region=region(420581), code="yidu", token=True)
    reach_in_two_periods(client, article, video, jiangan, yidu)
    OfficialFactory(username="wuhan", scope=420100)

    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "wuhan")
    expect(page).to_have_url(re.compile(r"/admin/coverage/\s*$"))
    expect(page.get_by_role("heading", name="武汉市 · 本时段概览")).to_be_visible()
    headline = page.locator(".reach-headline")
    expect(headline).to_have_text(
        [
            re.compile(r"^\s*送达\s+1\s+与上一时段持平\s*$"),
            re.compile(r"^\s*浏览量\s+13\s+▲ 比上一时段 \+9（\+225\.0%）\s*$"),
            re.compile(r"^\s*访客\s+9\s+▲ 比上一时段 \+5（\+125\.0%）\s*$"),
            re.compile(r"^\s*上报阅读量\s+50\s+▲ 比上一时段 \+20（\+66\.7%）\s*$"),
            re.compile(r"^\s*送达县市区\s+1 / 13\s+与上一时段持平\s*$"),
        ]
    )
    regions = page.get_by_role("table", name="浏览量变化最大的地区")
    expect(regions.locator("tbody tr")).to_have_text([re.compile(r"^\s*江岸区\s*13\s*4\s*\+9\s*$")])
    items = page.get_by_role("table", name="浏览量变化最大的内容")
    expect(items.locator("tbody tr")).to_have_text(
        [
            re.compile(r"^\s*防范电信网络诈骗十问\s*10\s*4\s*\+6\s*$"),
            re.compile(r"^\s*反诈动画：一通电话\s*3\s*0\s*\+3\s*$"),
        ]
    )
