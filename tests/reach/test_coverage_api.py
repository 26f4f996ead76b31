"""GET /api/coverage/: a GeoJSON FeatureCollection per level with the three figures apart, rates
only where a population is known, the last 30 days by default, cached per filter set, and a
clear 400 for every bad filter."""

import datetime

import pytest
from django.utils import timezone

from reach.models import DailyReach
from reach.rollup import roll_up_day
from tests.reach.factories import ReportedReadFactory

COVERAGE = "/api/coverage/"


@pytest.fixture
def figures(article, channel, other_channel):
    """Loaded roll-up rows (a roll-up leaves loaded rows alone) plus one real report."""
    today = timezone.localdate()
    loaded = {"page": article, "is_demo": True}
    DailyReach.objects.create(
        date=today, region_id=420102, channel=channel, views=200, delivered=1, **loaded
    )
    DailyReach.objects.create(
        date=today, region_id=420581, channel=other_channel, views=30, **loaded
    )
    DailyReach.objects.create(date=today, views=11, **loaded)  # region unknown
    # Outside the default 30 days:
    DailyReach.objects.create(
        date=today - datetime.timedelta(days=45), region_id=420102, views=5000, **loaded
    )
    ReportedReadFactory(channel=channel, page=article, date=today, reads=1_232_652)
    roll_up_day(today)


def properties(response):
    return {f["properties"]["adcode"]: f["properties"] for f in response.json()["features"]}


def test_prefecture_coverage_is_geojson_with_17_shapes(client, figures):
    response = client.get(COVERAGE)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 17
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in body["features"])
    wuhan = properties(response)[420100]
    assert wuhan == {
        "adcode": 420100,
        "name": "武汉市",
        "population": 12326518,
        "delivered": 1,
        "views": 200,
        "reported_reads": 1232652,
        "views_per_10k": 0.16,
        "reported_reads_per_10k": 1000.0,
    }
    yichang = properties(response)[420500]
    assert (yichang["views"], yichang["reported_reads"]) == (30, None)


def test_county_rates_are_null_where_the_population_is_unknown(client, figures):
    jiangan = properties(client.get(COVERAGE + "?level=county"))[420102]
    assert jiangan["population"] is None
    assert jiangan["views"] == 200
    assert jiangan["views_per_10k"] is None and jiangan["reported_reads_per_10k"] is None


def test_a_date_range_and_an_item_filter_the_figures(client, figures, article, video):
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    wide = properties(client.get(f"{COVERAGE}?start={start}"))[420100]
    assert wide["views"] == 5200
    none = properties(client.get(f"{COVERAGE}?item={video.pk}"))[420100]
    assert none["views"] == 0
    only = properties(client.get(f"{COVERAGE}?item={article.pk}"))[420100]
    assert only["views"] == 200


def test_one_prefecture_with_its_counties(client, figures):
    response = client.get(COVERAGE + "?level=county&region=420100")
    adcodes = set(properties(response))
    assert len(adcodes) == 13
    assert 420581 not in adcodes


def test_answers_are_cached_per_filter_set_until_the_next_roll_up(
    client, figures, django_assert_max_num_queries
):
    client.get(COVERAGE)
    with django_assert_max_num_queries(0):
        client.get(COVERAGE)
    DailyReach.objects.filter(region_id=420102).update(views=250)
    roll_up_day(timezone.localdate())
    assert properties(client.get(COVERAGE))[420100]["views"] == 250


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=city", "未知的层级"),
        ("start=2026-05-10&end=2026-05-01", "开始日期不能晚于结束日期"),
        ("start=2020-01-01&end=2026-01-01", "不能超过三年"),
        ("start=yesterday", "YYYY-MM-DD"),
        ("item=999999", "找不到编号为 999999 的内容"),
        ("item=abc", "须为整数"),
        ("topic=999999", "找不到编号为 999999 的栏目"),
        ("level=county&region=999999", "未知的行政区划代码"),
        ("level=county&region=420102", "只能按地级单位"),
    ],
)
def test_bad_filters_are_a_400_in_chinese(client, db, query, message):
    response = client.get(f"{COVERAGE}?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/coverage/" in schema["paths"]
    assert "/api/reach/view/" in schema["paths"]
    assert "/api/reach/reports/" in schema["paths"]
    assert "/api/reach/channel/" in schema["paths"]
    properties = schema["components"]["schemas"]["CoverageProperties"]["properties"]
    for name in ("views_per_10k", "reported_reads_per_10k", "population", "delivered"):
        assert name in properties
