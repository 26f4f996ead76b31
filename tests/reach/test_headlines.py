"""The dashboard's headline figures and what moved most: the period's totals within the
official's scope beside the previous period of the same length, unknown said as unknown."""

import pytest

from reach import headlines
from reach.forms import CoverageForm
from tests.reach.factories import OfficialFactory, page_loads, reach_in_two_periods, roll_up

DASHBOARD = "/admin/coverage/"


@pytest.fixture
def two_periods(client, article, video, channel, other_channel):
    reach_in_two_periods(client, article, video, channel, other_channel)


def seen_by(client, scope):
    client.force_login(OfficialFactory(scope=scope))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


def figures(response):
    return {h.key: (h.text, h.change_text) for h in response.context["headlines"]}


def movers(rows):
    return [(m.name, m.views, m.previous, m.change_text) for m in rows]


def test_a_prefecture_official_sees_the_totals_of_its_own_counties_against_the_last_period(
    client, two_periods
):
    response = seen_by(client, 420100)
    assert figures(response) == {
        "delivered": ("1", "与上一时段持平"),
        "views": ("13", "比上一时段 +9（+225.0%）"),
        "visitors": ("9", "比上一时段 +5（+125.0%）"),
        "reported_reads": ("50", "比上一时段 +20（+66.7%）"),
        "counties_reached": ("1", "与上一时段持平"),
    }
    assert response.context["headlines"][-1].total == 13
    assert movers(response.context["region_movers"]) == [("江岸区", 13, 4, "+9")]
    assert movers(response.context["item_movers"]) == [
        ("防范电信网络诈骗十问", 10, 4, "+6"),
        ("反诈动画：一通电话", 3, 0, "+3"),
    ]
    html = response.content.decode()
    assert "本时段概览" in html and "比上一时段 +9（+225.0%）" in html


def test_the_province_sees_every_region_and_the_views_no_region_claims(client, two_periods):
    response = seen_by(client, None)
    assert figures(response) == {
        "delivered": ("2", "比上一时段 +1（+100.0%）"),
        "views": ("22", "比上一时段 +18（+450.0%）"),
        "visitors": ("18", "比上一时段 +14（+350.0%）"),
        "reported_reads": ("50", "比上一时段 +20（+66.7%）"),
        "counties_reached": ("2", "比上一时段 +1（+100.0%）"),
    }
    assert movers(response.context["region_movers"]) == [
        ("武汉市", 13, 4, "+9"),
        ("宜昌市", 7, 0, "+7"),
    ]
    assert movers(response.context["item_movers"]) == [
        ("防范电信网络诈骗十问", 19, 4, "+15"),
        ("反诈动画：一通电话", 3, 0, "+3"),
    ]


def test_the_headline_views_are_the_ranking_table_added_up(client, two_periods):
    response = seen_by(client, None)
    table = sum(row["views"] for row in response.context["rows"])
    assert table == response.context["headlines"][1].value == 22


def test_a_previous_period_never_rolled_up_is_unknown_not_zero(client, article, channel):
    page_loads(article, 5, channel.code)
    roll_up(0)
    response = seen_by(client, 420100)
    assert figures(response) == {
        "delivered": ("0", "上一时段：未知"),
        "views": ("5", "上一时段：未知"),
        "visitors": ("5", "上一时段：未知"),
        "reported_reads": ("无上报", ""),
        "counties_reached": ("0", "上一时段：未知"),
    }
    assert response.context["region_movers"] is None
    assert "本时段或上一时段尚未汇总，无法比较" in response.content.decode()


def test_before_any_roll_up_every_headline_is_unknown(client, article, channel):
    page_loads(article, 5, channel.code)
    response = seen_by(client, None)
    assert figures(response) == {
        "delivered": ("未知", ""),
        "views": ("未知", ""),
        "visitors": ("未知", ""),
        "reported_reads": ("无上报", ""),
        "counties_reached": ("未知", ""),
    }


def test_the_previous_period_is_as_long_and_ends_the_day_before(db):
    form = CoverageForm({"start": "2026-03-01", "end": "2026-03-10"})
    assert form.is_valid()
    previous = headlines.previous_period(form.coverage_filter())
    assert (previous.start.isoformat(), previous.end.isoformat()) == ("2026-02-19", "2026-02-28")
