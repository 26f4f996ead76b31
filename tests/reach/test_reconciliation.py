"""Reconciliation: known traffic through HTTP and the real worker (loads from several browsers
through ?ch=, beacons of rendered and of cached pages, channel reports with good and bad dates,
a resend, a correction), then the exact figures in the API, the dashboard table and the Excel
file, which must agree."""

import datetime
import json
import re
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from distribution.models import Delivery, Distribution
from distribution.services import distribute
from reach.tasks import roll_up_recent
from tests.reach.conftest import BROWSER_UA
from tests.reach.factories import OfficialFactory

BEACON = "/api/reach/view/"
REPORTS = "/api/reach/reports/"


def browser(number):
    """One reader's browser: its own address (the user agent is a common phone's)."""
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"203.0.113.{number}")


def load(reader, page, code):
    """A page load with JavaScript on: the server renders and counts it, then the page's
    beacon sends the load id back (not counted again)."""
    html = reader.get(f"{page.url}?ch={code}").content.decode()
    load_id = re.search(r'data-reach-load="([0-9a-f]{32})"', html).group(1)
    answer = reader.post(
        BEACON,
        json.dumps({"page": page.pk, "ch": code, "load": load_id}),
        content_type="application/json",
    )
    assert answer.status_code == 204


def cached_load(reader, page, code):
    """The page came from a cache (no render): only its beacon counts it."""
    answer = reader.post(
        BEACON, json.dumps({"page": page.pk, "ch": code}), content_type="application/json"
    )
    assert answer.status_code == 204


def report(client, channel, page, day, reads):
    return client.post(
        REPORTS,
        json.dumps({"item_id": page.pk, "date": day.isoformat(), "reads": reads}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
    )


def fetch_feed(client, channel):
    response = client.get(
        f"/feeds/{channel.code}/feed.json", HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}"
    )
    assert response.status_code == 200


@pytest.fixture
def traffic(transactional_db, client, article, channel, other_channel, run_tasks):
    today = timezone.localdate()
    # Delivered to both pull channels (each fetches its feed), then resent to 江岸区.
    distribute(article, None, channels=[channel, other_channel])
    fetch_feed(client, channel)
    fetch_feed(client, other_channel)
    distribute(article, None, channels=[channel], resend=True)
    fetch_feed(client, channel)
    # 江岸区: 9 rendered loads from 4 browsers, and 2 loads from a cache by the first browser.
    readers = [browser(n) for n in range(1, 5)]
    for n in range(9):
        load(readers[n % 4], article, "jiangan")
    cached_load(readers[0], article, "jiangan")
    cached_load(readers[0], article, "jiangan")
    # 宜都市: 3 loads from 3 browsers.
    for n in range(5, 8):
        load(browser(n), article, "yidu")
    # Reports: one good; bad dates refused; a resend of the good one replaces it.
    assert report(client, channel, article, today, 400).status_code == 201
    for bad in (datetime.date(1, 1, 1), datetime.date(1900, 1, 1), today + datetime.timedelta(1)):
        assert report(client, channel, article, bad, 5).status_code == 400
    assert report(client, channel, article, today, 500).status_code == 200
    # A correction: republished (committed: the channels hear of it after the commit), it goes
    # to both channels again, as an update.
    article.title = "防范电信网络诈骗十问（更正）"
    article.save_revision().publish()
    run_tasks()
    fetch_feed(client, channel)
    fetch_feed(client, other_channel)
    assert (
        Delivery.objects.filter(
            distribution__kind=Distribution.Kind.UPDATE, state=Delivery.State.DELIVERED
        ).count()
        == 2
    )
    # The real worker rolls up.
    roll_up_recent.enqueue()
    run_tasks()


JIANGAN = {"delivered": 1, "delivered_channels": 1, "views": 11, "visitors": 4}
YIDU = {"delivered": 1, "delivered_channels": 1, "views": 3, "visitors": 3}


def test_the_api_dashboard_and_excel_agree_on_the_exact_figures(client, traffic, article):
    # The public API (totals for all content).
    features = client.get("/api/coverage/?level=county").json()["features"]
    counties = {f["properties"]["adcode"]: f["properties"] for f in features}
    assert {key: counties[420102][key] for key in JIANGAN} == JIANGAN
    assert counties[420102]["reported_reads"] == 500
    assert {key: counties[420581][key] for key in YIDU} == YIDU
    assert counties[420581]["reported_reads"] is None  # 宜都 reported nothing: unknown

    # The officials' dashboard, for the item, and its Excel file: the same figures.
    official = OfficialFactory(username="reconciler")
    client.force_login(official)
    query = f"/admin/coverage/?item={article.pk}&level=county&measure=views"
    rows = {row["name"]: row for row in client.get(query).context["rows"]}
    assert {key: rows["江岸区"][key] for key in JIANGAN} == JIANGAN
    assert rows["江岸区"]["reported_reads"] == 500
    assert {key: rows["宜都市"][key] for key in YIDU} == YIDU
    assert rows["宜都市"]["reported_reads"] is None

    sheet = load_workbook(BytesIO(client.get(query + "&format=xlsx").content)).active
    values = list(sheet.values)
    header_at = next(i for i, row in enumerate(values) if row and row[0] == "排名")
    header = values[header_at]
    excel = {row[1]: dict(zip(header, row, strict=True)) for row in values[header_at + 1 :]}
    assert (excel["江岸区"]["送达"], excel["江岸区"]["送达渠道"]) == (1, 1)
    assert (excel["江岸区"]["浏览量"], excel["江岸区"]["访客"]) == (11, 4)
    assert excel["江岸区"]["上报阅读量"] == 500
    assert (excel["宜都市"]["浏览量"], excel["宜都市"]["访客"]) == (3, 3)
    assert excel["宜都市"]["上报阅读量"] == "无上报"
    assert [row[0] for row in values[1:header_at] if row and row[0]][1] == (
        f"筛选：内容：《{article.title}》；栏目：全部栏目；指标（排序）：浏览量"
    )
