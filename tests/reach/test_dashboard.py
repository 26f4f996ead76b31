"""The officials' dashboard: scoped, read-only, with map, ranking, reconciliation, trend and an
Excel export of exactly the table shown; citizens and channels cannot open it."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from content.roles import EDITORS
from reach.models import DemoInstall
from tests.factories import UserFactory
from tests.reach.factories import OfficialFactory, deliver, page_loads, roll_up

DASHBOARD = "/admin/coverage/"


@pytest.fixture
def reach_rows(article, channel, other_channel):
    page_loads(article, 12, "jiangan", readers=9)
    page_loads(article, 8, "jiangan", days_ago=3)
    page_loads(article, 4, "yidu")
    roll_up(0, 3)


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
    assert "数据截至" in html
    assert "演示数据" not in html  # not a demo install
    rows = response.context["rows"]
    assert [row["name"] for row in rows[:2]] == ["武汉市", "宜昌市"]  # ranked by the measure
    assert (rows[0]["views"], rows[0]["visitors"]) == (20, 17)
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
    header = values[header_index]
    wuhan = dict(zip(header, body[0], strict=True))
    assert (wuhan["浏览量"], wuhan["访客"]) == (20, 17)
    assert wuhan["上报阅读量"] == "无上报"  # nobody reported: unknown, not 0
    lines = [row[0] for row in values[1:header_index] if row and row[0]]
    start, end = timezone.localdate() - datetime.timedelta(days=29), timezone.localdate()
    assert lines[0] == f"范围：全省；层级：市州；日期：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    assert lines[1] == "筛选：内容：全部内容；栏目：全部栏目；指标（排序）：浏览量"


def test_one_item_shows_the_reconciliation_with_gaps_flagged(
    client, province_official, article, channel, other_channel
):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=50)):
        deliver(client, article, channel)
    client.post(
        "/api/reach/reports/",
        {"item_id": article.pk, "date": timezone.localdate().isoformat(), "reads": 9},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other_channel.plain_token}",
    )
    roll_up(0, 1, 2, 3)
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
    # An official's admin home is the dashboard itself (reach.officials), with the menu.
    assert DASHBOARD in client.get("/admin/", follow=True).content.decode()
    editor = UserFactory(username="editor-menu", groups=[EDITORS])
    client.force_login(editor)
    assert DASHBOARD not in client.get("/admin/").content.decode()


def test_a_demo_install_says_so_on_the_dashboard_and_in_the_export(
    client, province_official, reach_rows
):
    DemoInstall.objects.create()
    client.force_login(province_official)
    assert "演示数据：本站数字由演示访问" in client.get(DASHBOARD).content.decode()
    sheet = load_workbook(BytesIO(client.get(DASHBOARD + "?format=xlsx").content)).active
    assert sheet["A2"].value.startswith("演示数据：本站数字由演示访问")


def test_an_official_without_a_scope_sees_nothing(client, db, reach_rows):
    official = UserFactory(username="no-scope", groups=["官员"])
    client.force_login(official)
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    assert "尚未设置辖区" in response.content.decode()
    assert "rows" not in response.context
    assert client.get(DASHBOARD + "?format=xlsx").status_code == 403


def test_a_prefecture_officials_export_states_its_scope_and_leaves_out_unknown_regions(
    client, wuhan_official, reach_rows, article
):
    page_loads(article, 3)  # no tracked link: the region is unknown, nobody's prefecture
    roll_up()
    client.force_login(wuhan_official)
    sheet = load_workbook(BytesIO(client.get(DASHBOARD + "?format=xlsx").content)).active
    values = list(sheet.values)
    assert values[1][0].startswith("范围：武汉市；层级：县市区")
    names = [row[1] for row in values if row and row[1]]
    assert "江岸区" in names
    assert "地区未知（非渠道链接）" not in names
