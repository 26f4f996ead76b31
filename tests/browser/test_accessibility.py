"""axe-core (npm), injected into each page in Chromium: no serious or critical accessibility
violations on the public pages, the officials' dashboard and their weekly reports."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reach import weekly
from tests.factories import ArticlePageFactory
from tests.portal.pages import public_pages
from tests.reach.factories import ChannelFactory, reach_in_week, region

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
GRAVE = {"serious", "critical"}


def grave_violations(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in GRAVE
    ]


@pytest.fixture
def axe_page(new_context):
    """A desktop page whose policy lets the test inject axe's script (the site's own CSP would
    rightly refuse an inline script without the response's nonce)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci)")
    return new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()


def test_public_pages_have_no_serious_accessibility_violations(axe_page, topic, search_index):
    pages = public_pages(topic)
    search_index()
    found = []
    for url in pages.values():
        found += grave_violations(axe_page, url)
    assert found == []


def test_the_dashboard_has_no_serious_accessibility_violations(login_page):
    # The admin's policy lets inline scripts run (Wagtail needs them), so axe goes in as is.
    page = login_page("official")
    found = grave_violations(page, "/admin/coverage/")
    assert found == []


def test_the_weekly_reports_listing_has_no_serious_accessibility_violations(
    login_page, client, article_with_reach_last_week
):
    weekly.make_missing_reports()
    page = login_page("official")
    found = grave_violations(page, "/admin/weekly_reports/")
    assert found == []


def test_the_empty_weekly_reports_listing_has_no_serious_accessibility_violations(login_page, home):
    page = login_page("official")
    found = grave_violations(page, "/admin/weekly_reports/")
    assert found == []


@pytest.fixture
def article_with_reach_last_week(client, topic):
    published = timezone.now() - datetime.timedelta(days=60)
    article = ArticlePageFactory(
        parent=topic, title="防范电信网络诈骗十问", first_published_at=published
    )
    jiangan = ChannelFactory(region=region(420102), code="jiangan", token=True)
    yidu = ChannelFactory(region=region(420581), code="yidu", token=True)
    reach_in_week(client, article, jiangan, yidu, weekly.last_full_week()[0])
    return article
