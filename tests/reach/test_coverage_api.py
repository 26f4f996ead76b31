"""GET /api/coverage/: a GeoJSON FeatureCollection per level with the figures apart, rates only
where a population is known, unknown as null (never 0), the last 30 days by default, cached per
filter set, scope enforced on the server, a clear 400 for every filter the data refuses and a 422
for a parameter outside the schema."""

import datetime

import pytest
from django.utils import timezone

from reach.models import DemoInstall
from tests.reach.factories import OfficialFactory, deliver, page_loads, roll_up

COVERAGE = "/api/coverage/"


@pytest.fixture
def figures(client, article, channel, other_channel):
    """Real traffic: a delivery, loads through tracked links and directly, one report."""
    deliver(client, article, channel)
    page_loads(article, 20, "jiangan", readers=16)
    page_loads(article, 3, "yidu")
    page_loads(article, 11)  # no tracked link: region unknown
    page_loads(article, 50, "jiangan", days_ago=45)  # outside the default 30 days
    client.post(
        "/api/reach/reports/",
        {"item_id": article.pk, "date": timezone.localdate().isoformat(), "reads": 1_232_652},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
    )
    roll_up(0, 45)


@pytest.fixture
def wuhan_official(db):
    return OfficialFactory(username="wuhan-guanyuan", scope=420100)


def properties(response):
    return {f["properties"]["adcode"]: f["properties"] for f in response.json()["features"]}


def test_prefecture_coverage_is_geojson_with_17_shapes(client, figures):
    response = client.get(COVERAGE)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 17
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in body["features"])
    assert body["demo"] is False
    wuhan = properties(response)[420100]
    assert wuhan == {
        "adcode": 420100,
        "name": "武汉市",
        "population": 12326518,
        "delivered": 1,
        "delivered_channels": 1,
        "views": 20,
        "visitors": 16,
        "reported_reads": 1232652,
        "views_per_10k": 0.02,
        "visitors_per_10k": 0.01,
        "reported_reads_per_10k": 1000.0,
    }
    yichang = properties(response)[420500]
    assert (yichang["views"], yichang["visitors"], yichang["reported_reads"]) == (3, 3, None)
    # Nothing happened in 十堰市: zero, not unknown; nobody reported: unknown, not zero.
    shiyan = properties(response)[420300]
    assert (shiyan["delivered"], shiyan["views"], shiyan["reported_reads"]) == (0, 0, None)


def test_a_period_never_rolled_up_is_unknown_not_zero(client, figures):
    response = client.get(f"{COVERAGE}?start=2026-01-01&end=2026-01-31")
    wuhan = properties(response)[420100]
    assert (wuhan["delivered"], wuhan["views"], wuhan["visitors"]) == (None, None, None)


def test_a_demo_install_says_so_at_the_top(client, figures):
    DemoInstall.objects.create()
    assert client.get(COVERAGE).json()["demo"] is True


def test_county_rates_are_null_where_the_population_is_unknown(client, figures):
    jiangan = properties(client.get(COVERAGE + "?level=county"))[420102]
    assert jiangan["population"] is None
    assert jiangan["views"] == 20
    assert jiangan["views_per_10k"] is None and jiangan["reported_reads_per_10k"] is None


def test_a_date_range_filters_the_figures(client, figures):
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    wide = properties(client.get(f"{COVERAGE}?start={start}"))[420100]
    assert wide["views"] == 70


def test_per_item_figures_need_an_officials_log_in(client, figures, article):
    response = client.get(f"{COVERAGE}?item={article.pk}")
    assert response.status_code == 401
    assert response.json()["detail"] == "按内容或栏目查看覆盖数据需要以官员身份登录"
    assert client.get(f"{COVERAGE}?topic={article.get_parent().pk}").status_code == 401


def test_an_official_gets_per_item_figures_of_their_own_scope_only(
    client, figures, article, video, wuhan_official
):
    client.force_login(wuhan_official)
    only = properties(client.get(f"{COVERAGE}?item={article.pk}"))
    assert set(only) == {420100}
    assert only[420100]["views"] == 20
    none = properties(client.get(f"{COVERAGE}?item={video.pk}"))[420100]
    assert none["views"] == 0
    counties = client.get(f"{COVERAGE}?item={article.pk}&level=county")
    assert len(counties.json()["features"]) == 13
    other = client.get(f"{COVERAGE}?item={article.pk}&level=county&region=421100")
    assert other.status_code == 403
    assert other.json()["detail"] == "只能查看本辖区（武汉市）的数据"


def test_an_official_without_a_scope_gets_nothing_per_item(client, figures, article):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="no-scope", groups=["官员"]))
    response = client.get(f"{COVERAGE}?item={article.pk}")
    assert response.status_code == 403
    assert "尚未设置辖区" in response.json()["detail"]


def test_one_prefecture_with_its_counties(client, figures):
    response = client.get(COVERAGE + "?level=county&region=420100")
    adcodes = set(properties(response))
    assert len(adcodes) == 13
    assert 420581 not in adcodes


def test_answers_are_cached_per_filter_set_until_the_next_roll_up(
    client, figures, article, django_assert_max_num_queries
):
    client.get(COVERAGE)
    with django_assert_max_num_queries(3):  # the demo flag; the cache's version and entry
        client.get(COVERAGE)
    page_loads(article, 5, "jiangan", first_reader=100)
    assert properties(client.get(COVERAGE))[420100]["views"] == 20
    roll_up()
    assert properties(client.get(COVERAGE))[420100]["views"] == 25


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-05-10&end=2026-05-01", "开始日期不能晚于结束日期"),
        ("start=2020-01-01&end=2026-01-01", "不能超过三年"),
        ("level=county&region=999999", "未知的行政区划代码"),
        ("level=county&region=420102", "只能按地级单位"),
    ],
)
def test_bad_filters_are_a_400_in_chinese(client, db, query, message):
    response = client.get(f"{COVERAGE}?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [("item=999999", "找不到编号为 999999 的内容"), ("topic=999999", "找不到编号为 999999 的栏目")],
)
def test_an_official_asking_for_unknown_content_gets_a_400_in_chinese(
    client, db, wuhan_official, query, message
):
    client.force_login(wuhan_official)
    response = client.get(f"{COVERAGE}?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=city", "level只能是 'prefecture' 或 'county'"),
        ("start=yesterday", "start须为 YYYY-MM-DD 格式的日期"),
        ("end=1700000000", "end须为 YYYY-MM-DD 格式的日期"),
        ("item=abc", "item必须是整数"),
    ],
)
def test_filters_outside_the_schema_are_a_422_in_chinese(client, db, query, message):
    response = client.get(f"{COVERAGE}?{query}")
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/coverage/" in schema["paths"]
    assert "/api/reach/view/" in schema["paths"]
    assert "/api/reach/reports/" in schema["paths"]
    assert "/api/reach/channel/" in schema["paths"]
    properties = schema["components"]["schemas"]["CoverageProperties"]["properties"]
    for name in ("views_per_10k", "visitors", "population", "delivered", "delivered_channels"):
        assert name in properties
