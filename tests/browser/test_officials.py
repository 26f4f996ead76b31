"""An official in Chromium: logs in with the form and lands on the coverage dashboard, whose
headline figures compare the period with the one before, whose map names the regions and opens
full screen; finds last week's report under the dashboard's menu and downloads its files."""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from geodata.maps import build_map, map_parts
from reach import weekly
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, VideoPageFactory
from tests.reach.factories import (
    ChannelFactory,
    OfficialFactory,
    reach_in_two_periods,
    reach_in_week,
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


def test_an_official_finds_last_weeks_report_under_the_dashboard_and_downloads_both_files(
    new_context, home, client, tmp_path
):
    topic = TopicIndexPageFactory(parent=home, title="反诈", slug="fanzha")
    published = timezone.now() - datetime.timedelta(days=60)
    article = ArticlePageFactory(
        parent=topic, title="防范电信网络诈骗十问", first_published_at=published
    )
    jiangan = ChannelFactory(region=region(420102), code="jiangan", token=True)
    yidu = ChannelFactory(region=region(420581), code="yidu", token=True)
    start, end = weekly.last_full_week()
    reach_in_week(client, article, jiangan, yidu, start)
    OfficialFactory(username="wuhan", scope=420100)
    weekly.make_missing_reports()  # as the clock's task does

    page = new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    log_in(page, "wuhan")
    expect(page).to_have_url(re.compile(r"/admin/coverage/\s*$"))
    page.get_by_role("button", name="覆盖看板").click()
    page.get_by_role("link", name="每周报告").click()
    expect(page.get_by_role("heading", name="每周报告")).to_be_visible()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(1)  # 武汉市's own; the province's is not for this official
    expect(rows.first).to_contain_text("武汉市")
    expect(rows.first).to_contain_text(f"{start} 至 {end}")

    with page.expect_download() as excel:
        rows.first.get_by_role("link", name=re.compile("Excel 报表")).click()
    week = f"{start:%Y%m%d}-{end:%Y%m%d}"
    assert excel.value.suggested_filename == f"湖北网络普法覆盖周报-武汉市-{week}.xlsx"
    saved = tmp_path / excel.value.suggested_filename
    excel.value.save_as(saved)
    workbook = load_workbook(saved)
    assert workbook.active["A1"].value.startswith("湖北网络普法覆盖周报：武汉市")

    with page.expect_download() as picture:
        rows.first.get_by_role("link", name=re.compile("地图图片")).click()
    assert Image.open(picture.value.path()).format == "PNG"
