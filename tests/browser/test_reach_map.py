"""The 普法地图 and the officials' dashboard in Chromium with every outside request blocked:
17 prefecture shapes drawn, Wuhan's 13 districts on a click, one item chosen, and the table
downloaded as Excel."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from reach.reports import record_report
from tests.browser.map_helpers import click_region
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, make_site
from tests.reach.factories import ChannelFactory, page_loads, region, roll_up

pytestmark = pytest.mark.browser


@pytest.fixture
def reach_figures(transactional_db):
    home = make_site()
    topic = TopicIndexPageFactory(parent=home, title="反诈", slug="fanzha")
    article = ArticlePageFactory(
        parent=topic,
        title="防范电信网络诈骗十问",
        slug="shiwen",
        first_published_at=timezone.now() - datetime.timedelta(days=10),
    )
    today = timezone.localdate()
    for adcode, views in ((420102, 9), (420500, 3), (429021, 1)):
        channel = ChannelFactory(region=region(adcode), code=f"c{adcode}")
        for offset in range(3):
            page_loads(article, views, channel.code, days_ago=offset)
            day = today - datetime.timedelta(days=offset)
            record_report(channel, day, views * 50, item_id=article.pk)
    roll_up(0, 1, 2)
    return article


def test_the_public_map_draws_17_prefectures_with_the_network_cut(page, reach_figures):
    page.goto("/map/")
    expect(page.locator("path.geodata-region")).to_have_count(17)
    expect(page.locator(".geodata-legend")).to_contain_text("每万人上报阅读量")
    expect(page.get_by_role("heading", name="湖北普法地图")).to_be_visible()


def test_an_official_drills_down_chooses_an_item_and_downloads_excel(official_page, reach_figures):
    page = official_page
    page.goto("/admin/coverage/")
    expect(page.locator("path.geodata-region")).to_have_count(17)
    expect(page.get_by_role("table").first).to_contain_text("武汉市")

    click_region(page, 420100)
    expect(page.locator("path.geodata-region")).to_have_count(17 + 13)

    page.get_by_label("内容", exact=True).select_option(label=reach_figures.title)
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.get_by_role("heading", name="对账：发送 → 送达 → 浏览 → 上报")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(BytesIO(download_info.value.path().read_bytes())).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "武汉市" in names and "宜昌市" in names
