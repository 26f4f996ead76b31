"""An official in Chromium: logs in with the form and lands on the coverage dashboard, whose
map names the regions and opens full screen."""

import re

import pytest
from playwright.sync_api import expect

from geodata.maps import build_map, map_parts
from tests.reach.factories import OfficialFactory

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

    expect(page).to_have_url(re.compile(r"/admin/coverage/$"))
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
