"""The region map of geodata.maps in Chromium with every outside request blocked: it draws the
17 prefecture-level units, tells their figures in Chinese, and drills down to counties."""

import pytest
from playwright.sync_api import expect

from geodata.maps import RegionFigures, build_map
from reach.measures import map_labels
from tests.browser.map_helpers import click_region, hover_region

pytestmark = pytest.mark.browser

FIGURES = {
    420100: RegionFigures(
        delivered=14, views=52_300, reported_reads=801_100, delivery_status="some_failing"
    ),
    420200: RegionFigures(delivered=3, views=4_100, delivery_status="all_delivered"),
    420103: RegionFigures(delivered=1, views=900, reported_reads=12_000),
    429021: RegionFigures(delivered=1, views=0, delivery_status="none_delivered"),
}


@pytest.fixture
def requested(page):
    """Every URL the page asked for, from the start."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def map_page(page, live_server, transactional_db, requested):
    def open_map(shapes=17, **options):
        html = build_map(FIGURES, labels=map_labels(), **options).get_root().render()
        # A document of the live server (so /static/ resolves there) that the portal's
        # Content-Security-Policy does not govern: static files bypass the middleware.
        page.goto("/static/css/portal.css")
        page.set_content(html, wait_until="load")
        expect(page.locator("path.geodata-region")).to_have_count(shapes)
        return page

    return open_map


def test_map_draws_17_prefectures_offline_with_a_chinese_legend(map_page):
    page = map_page(measure="views", per_10k=True, caption="近30日")
    legend = page.locator(".geodata-legend")
    expect(legend).to_contain_text("每万人浏览量（地级） · 近30日")
    expect(legend).to_contain_text("无数据")
    expect(page.locator(".leaflet-control-layers")).to_contain_text("送达状态：部分失败")


def test_tooltip_tells_a_prefectures_figures(map_page):
    page = map_page(measure="views", per_10k=True)
    hover_region(page, 420100)
    tooltip = page.get_by_role("tooltip").filter(has_text="武汉市")
    expect(tooltip).to_contain_text("武汉市")
    expect(tooltip).to_contain_text("12,326,518")
    expect(tooltip).to_contain_text("52,300")
    expect(tooltip).to_contain_text("801,100")
    expect(tooltip).to_contain_text("每万人浏览量42.4")
    expect(tooltip).to_contain_text("部分失败")


def test_clicking_wuhan_shows_its_13_districts_and_back(map_page, requested):
    page = map_page(measure="views")
    assert any("leaflet.js" in url for url in requested)
    assert not any("hubei_counties" in url for url in requested)  # only on drill-down
    click_region(page, 420100)
    expect(page.locator(".geodata-map")).to_have_attribute("data-drilled-down", "420100")
    # 17 prefectures below, 13 districts on top.
    expect(page.locator("path.geodata-region")).to_have_count(30)
    expect(page.locator(".geodata-legend")).to_contain_text("浏览量（县级）")
    hover_region(page, 420103)
    tooltip = page.get_by_role("tooltip").filter(has_text="江汉区")
    expect(tooltip).to_contain_text("人口数据暂缺")
    expect(tooltip).to_contain_text("900")
    page.get_by_role("button", name="返回全省").click()
    expect(page.locator("path.geodata-region")).to_have_count(17)
    expect(page.locator(".geodata-legend")).to_contain_text("浏览量（地级）")
    click_region(page, 429004)  # 仙桃市 is its own county
    expect(page.locator("path.geodata-region")).to_have_count(18)
    assert sum("hubei_counties" in url for url in requested) == 1  # fetched once


def test_a_map_can_open_on_one_prefectures_counties(map_page):
    page = map_page(shapes=17 + 13, measure="reported_reads", initial_prefecture=420100)
    expect(page.locator(".geodata-map")).to_have_attribute("data-drilled-down", "420100")
    expect(page.locator(".geodata-legend")).to_contain_text("上报阅读量（县级）")


def test_delivery_status_layers_switch_on(map_page):
    page = map_page(measure="delivered")
    page.get_by_text("送达状态：全部送达").click()
    # The status outline is drawn over the choropleth and takes no clicks.
    expect(page.locator("path:not(.geodata-region)")).to_have_count(1)
    page.get_by_text("送达状态：部分失败").click()
    expect(page.locator("path:not(.geodata-region)")).to_have_count(2)
    expect(page.locator("path:not(.geodata-region)").first).to_have_attribute("stroke", "#1a9850")
