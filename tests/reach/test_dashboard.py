"""The officials' dashboard: scoped, read-only, with map, ranking, reconciliation, trend and an
Excel export of exactly the table shown; citizens and channels cannot open it."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from content.roles import EDITORS
from reach.models import DailyReach
from tests.factories import UserFactory
from tests.reach.factories import (
    DeliveryFactory,
    DistributionFactory,
    OfficialFactory,
    ReportedReadFactory,
)

DASHBOARD = "/admin/coverage/"


@pytest.fixture
def reach_rows(article, channel, other_channel):
    today = timezone.localdate()
    for day_offset, views in ((0, 120), (3, 80)):
        DailyReach.objects.create(
            date=today - datetime.timedelta(days=day_offset),
            page=article,
            region_id=420102,
            channel=channel,
            views=views,
            is_demo=True,
        )
    DailyReach.objects.create(
        date=today, page=article, region_id=420581, channel=other_channel, views=40, is_demo=True
    )


@pytest.fixture
def province_official(db):
    return OfficialFactory(username="sheng-guanyuan")


@pytest.fixture
def wuhan_official(db):
    return OfficialFactory(username="wuhan-guanyuan", scope=420100)


def test_an_official_sees_the_province_map_ranking_and_trend(client, province_official, reach_rows):
    client.force_login(province_official)
    response = client.get(DASHBOARD + "?measure=views")
    assert response.status_code == 200
    html = response.content.decode()
    assert "覆盖看板" in html
    assert "geodata-map" in html  # the Folium map
    assert "<svg" in html and "polyline" in html  # the trend, inline
    assert "数据截至" in html or "尚未汇总" in html
    assert "本页包含演示数据" in html
    rows = response.context["rows"]
    assert [row["name"] for row in rows[:2]] == ["武汉市", "宜昌市"]  # ranked by the measure
    assert rows[0]["views"] == 200
    assert len([r for r in rows if not r["unattributed"]]) == 17
    assert "cdn" not in html.lower() and "unpkg" not in html


def test_a_prefecture_official_sees_only_its_own_counties(client, wuhan_official, reach_rows):
    client.force_login(wuhan_official)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    names = {row["name"] for row in response.context["rows"]}
    assert "江岸区" in names and len(names) == 13
    assert "宜都市" not in names and "宜昌市" not in names
    # Asking for another prefecture is refused, not quietly widened.
    assert client.get(DASHBOARD + "?region=420500").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("measure=clicks", "未知的指标"),
        ("start=2026-05-10&end=2026-05-01", "开始日期不能晚于结束日期"),
        ("start=2020-01-01&end=2026-01-01", "不能超过三年"),
        ("item=999999", "找不到该内容"),
        ("region=999999", "未知的行政区划代码"),
        ("level=city", "未知的层级"),
    ],
)
def test_bad_filters_are_a_400_with_the_reason(client, province_official, query, message, home):
    client.force_login(province_official)
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_excel_export_is_exactly_the_table_shown(client, province_official, reach_rows):
    client.force_login(province_official)
    shown = client.get(DASHBOARD + "?measure=views").context["rows"]
    response = client.get(DASHBOARD + "?measure=views&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.values)
    header_index = next(i for i, row in enumerate(values) if row and row[0] == "排名")
    body = values[header_index + 1 :]
    assert len(body) == len(shown)
    assert [row[1] for row in body] == [row["name"] for row in shown]
    assert body[0][5] == 200  # 武汉市 views
    wuhan_reads = body[0][7]
    assert wuhan_reads is None  # nobody reported: empty, not 0


def test_one_item_shows_the_reconciliation_with_gaps_flagged(
    client, province_official, article, channel, other_channel
):
    distribution = DistributionFactory(page=article)
    DeliveryFactory(
        distribution=distribution,
        channel=channel,
        delivered_at=timezone.now() - datetime.timedelta(hours=50),
    )
    ReportedReadFactory(channel=other_channel, page=article, date=timezone.localdate(), reads=9)
    from reach.rollup import roll_up_day

    roll_up_day(timezone.localdate())
    client.force_login(province_official)
    response = client.get(f"{DASHBOARD}?item={article.pk}")
    html = response.content.decode()
    assert "对账" in html
    rows = {row.name: row for row in response.context["reconciliation"]}
    assert rows["武汉市"].delivered == 1
    assert "送达超过 48 小时仍无浏览" in rows["武汉市"].gaps
    assert "有上报阅读但无送达记录" in rows["宜昌市"].gaps


def test_citizens_are_sent_to_log_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_without_the_officials_permission_are_refused(client, db):
    editor = UserFactory(username="editor-only", groups=[EDITORS])
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert response.status_code in (302, 403)
    assert "覆盖看板" not in response.content.decode()


def test_a_channel_token_does_not_open_the_dashboard(client, channel):
    response = client.get(DASHBOARD, HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_dashboard_is_in_the_admin_menu_for_officials_only(client, province_official):
    client.force_login(province_official)
    assert DASHBOARD in client.get("/admin/").content.decode()
    editor = UserFactory(username="editor-menu", groups=[EDITORS])
    client.force_login(editor)
    assert DASHBOARD not in client.get("/admin/").content.decode()
