"""The map builder: what it draws for given figures, honestly and offline."""

import json
import re

import branca.colormap
import folium
import folium.plugins
import pytest
from django.contrib.staticfiles import finders

from geodata.maps import (
    OfflineAssetMissing,
    RegionFigures,
    build_map,
    map_parts,
)
from reach.measures import map_labels

pytestmark = pytest.mark.django_db

PREFECTURES = {
    420100, 420200, 420300, 420500, 420600, 420700, 420800, 420900, 421000,
    421100, 421200, 421300, 422800, 429004, 429005, 429006, 429021,
}  # fmt: skip
OUTSIDE_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}""", re.IGNORECASE)


def embedded(html, suffix):
    """The JSON a map embeds as `var <layer>_<suffix> = …;`."""
    match = re.search(rf"var \w+_{suffix} = (.*?);\n", html)
    return json.loads(match.group(1))


def options(html):
    match = re.search(r"geodata\.choropleth\(\s*\w+, \w+_shapes,\s*\w+_regions, (.*?)\n", html)
    return json.loads(match.group(1).rstrip(")").rstrip())


def js(text):
    """Text as a JSON string literal in the page's script carries it (non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


def page(figures, **kwargs):
    kwargs.setdefault("labels", map_labels())
    return build_map(figures, **kwargs).get_root().render()


def full_figures():
    from geodata.models import Region

    return {
        region.adcode: RegionFigures(
            delivered=region.adcode % 7,
            views=region.adcode % 9973 * 37,
            reported_reads=region.adcode % 7919 * 411,
            delivery_status=["all_delivered", "some_failing", "none_delivered"][region.adcode % 3],
        )
        for region in Region.objects.exclude(level="province")
    }


def test_draws_the_17_prefecture_shapes_once():
    html = page({420100: RegionFigures(views=100)})
    shapes = embedded(html, "shapes")
    assert {f["properties"]["adcode"] for f in shapes["features"]} == PREFECTURES
    assert len(shapes["features"]) == 17
    # The status layers reuse the embedded shapes rather than carrying their own copy.
    assert html.count('"MultiPolygon"') == 17


def test_no_outside_url_in_the_page():
    html = page(full_figures(), measure="reported_reads", per_10k=True)
    assert OUTSIDE_URL.findall(html) == []
    for asset in (
        "/static/geodata/vendor/leaflet/leaflet.js",
        "/static/geodata/vendor/leaflet/leaflet.css",
        "/static/geodata/map.js",
    ):
        assert asset in html


def test_every_linked_asset_is_one_of_our_static_files():
    html = page({})
    for url in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(url), url
    assert finders.find(options(html)["countyShapesUrl"].removeprefix("/static/"))


def test_regions_without_figures_are_drawn_as_no_data_not_zero():
    html = page({420100: RegionFigures(views=0), 420200: RegionFigures(views=12)})
    regions = embedded(html, "regions")
    assert "f" in regions["420100"]  # a real zero is a figure, shaded like one
    assert regions["420300"]["k"] == "noData"
    assert "f" not in regions["420300"]
    assert regions["420300"]["v"][0:6] == [
        "十堰市",
        "3,209,004",
        "无数据",
        "无数据",
        "无数据",
        "无数据",
    ]
    assert "无数据" in options(html)["prefectureLegend"]


def test_per_10k_only_where_the_census_gives_a_population():
    figures = {420100: RegionFigures(views=123_265), 420103: RegionFigures(views=900)}
    html = page(figures, measure="views", per_10k=True)
    wuhan = embedded(html, "regions")["420100"]
    assert wuhan["v"][options(html)["tooltipRows"].index("每万人浏览量") + 1] == "100.0"
    # The county level has (almost) no population: drawn by the absolute figure, and said so.
    jianghan = options(html)["counties"]["420103"]
    assert "f" in jianghan and "k" not in jianghan
    assert "人口数据暂缺" in jianghan["v"]
    assert "900" in jianghan["v"]
    heading = "<strong>浏览量（县级）：常住人口暂缺，显示绝对数</strong>"
    assert heading in options(html)["countyLegend"]


def test_views_and_reported_reads_are_told_apart_never_summed():
    html = page(
        {420100: RegionFigures(views=1_000, reported_reads=250_000)},
        measure="reported_reads",
        per_10k=True,
    )
    rows = options(html)["tooltipRows"]
    values = embedded(html, "regions")["420100"]["v"]
    told = dict(zip(rows, values[1:], strict=True))
    assert told["浏览量"] == "1,000"
    assert told["上报阅读量"] == "250,000"
    assert told["每万人上报阅读量"] == "202.8"
    assert "每万人浏览量" not in told
    assert "251,000" not in html


def test_delivered_has_no_rate_per_10k():
    html = page({420100: RegionFigures(delivered=3)}, measure="delivered")
    assert not any("每万" in row for row in options(html)["tooltipRows"])
    with pytest.raises(ValueError):
        build_map({}, measure="delivered", per_10k=True)


def test_legend_is_chinese_with_classes_from_mapclassify():
    figures = {code: RegionFigures(views=code % 1000) for code in PREFECTURES}
    html = page(figures, measure="views", scheme="natural_breaks", classes=4, caption="近30日")
    legend = options(html)["prefectureLegend"]
    assert legend.startswith(
        '<details class="geodata-legend-fold" open><summary>图例</summary>'
        "<strong>浏览量（地级） · 近30日</strong>"
    )
    assert legend.count("<i ") == 4
    assert "无数据" not in legend
    colours = {region["f"] for region in embedded(html, "regions").values()}
    assert len(colours) == 4


def test_county_figures_ride_along_for_the_drill_down():
    html = page(full_figures())
    counties = options(html)["counties"]
    assert len(counties) == 103
    assert counties["429004"]["v"][0] == "仙桃市"  # directly administered: on both maps
    assert options(html)["countyShapesUrl"] == "/static/geodata/boundaries/hubei_counties.geojson"
    custom = page({}, county_shapes_url="/api/coverage/?level=county")
    assert options(custom)["countyShapesUrl"] == "/api/coverage/?level=county"


def test_every_region_is_labelled_by_its_short_name_inside_its_shape():
    import shapely

    from geodata.boundaries import shipped_layer

    labels = options(page({}))["labels"]
    assert len(labels) == 17
    names = {label[0]: label[3] for label in labels}
    assert (names[420100], names[422800], names[429021]) == ("武汉", "恩施州", "神农架")
    assert labels[-1][3] == "鄂州"  # smallest last: the first hidden where labels collide
    shapes = shipped_layer("prefecture").set_index("adcode").geometry
    for adcode, lat, lng, _name in labels:
        assert shapes[adcode].contains(shapely.Point(lng, lat)), adcode
    counties = options(page({}))["countyLabels"]
    assert len(counties) == 103
    wuhan = [label for label in counties if label[4] == 420100]
    assert len(wuhan) == 13
    assert {label[3] for label in counties if label[0] == 420528} == {"长阳县"}


def test_can_open_drilled_down_to_one_prefecture():
    assert options(page({}))["initialPrefecture"] is None
    assert options(page({}, initial_prefecture=420500))["initialPrefecture"] == 420500


def test_delivery_status_layers_in_the_layer_switch():
    html = page({420100: RegionFigures(delivery_status="some_failing")})
    for label in ("送达状态：全部送达", "送达状态：部分失败", "送达状态：均未送达"):
        assert js(label) in html
    assert "geodata.layerSwitch(" in html and f'"label": "{js("图层")}"' in html
    assert embedded(html, "regions")["420100"]["s"] == "some_failing"
    assert "s" not in embedded(html, "regions")["420200"]


def test_whole_page_with_every_layer_stays_small():
    assert len(page(full_figures(), measure="views", per_10k=True).encode()) <= 300 * 1024


def test_tiles_only_when_a_tile_server_is_configured(settings):
    assert "L.tileLayer" not in page({})
    settings.GEODATA_TILE_URL = "http://tiles.intranet.hb.gov.cn/{z}/{x}/{y}.png"
    settings.GEODATA_TILE_ATTRIBUTION = "省政务云底图"
    html = page({})
    assert "L.tileLayer" in html
    assert "tiles.intranet.hb.gov.cn" in html
    assert js("省政务云底图") in html


def test_folium_defaults_are_not_changed_for_other_maps():
    before = list(folium.Map.default_js), list(folium.Map.default_css)
    page({})
    assert (list(folium.Map.default_js), list(folium.Map.default_css)) == before


def test_a_d3_legend_added_by_a_caller_is_served_locally():
    m = build_map({})
    branca.colormap.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m)
    html = m.get_root().render()
    assert "/static/geodata/vendor/d3/d3.js" in html
    assert OUTSIDE_URL.findall(html) == []


def test_a_plugin_we_have_no_copy_of_is_refused():
    m = build_map({})
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(OfflineAssetMissing, match="leaflet.fullscreen"):
        m.get_root().render()


def test_parts_for_embedding_leave_the_host_page_alone():
    parts = map_parts(build_map({420100: RegionFigures(views=1)}))
    assert "html, body" not in parts.header
    assert '<link rel="stylesheet" href="/static/geodata/map.css"/>' in parts.header
    assert 'class="folium-map geodata-map"' in parts.html
    assert 'aria-label="湖北省普法地图"' in parts.html
    assert "geodata.choropleth(" in parts.script
    assert "<script" not in parts.script


@pytest.mark.parametrize(
    "figures, options",
    [
        ({}, {"measure": "clicks"}),
        ({}, {"scheme": "equal_interval"}),
        ({}, {"classes": 12}),
        ({999999: RegionFigures(views=1)}, {}),
        ({"武汉": RegionFigures(views=1)}, {}),
        ({420100: {"views": -1}}, {}),
        ({420100: {"views": "12"}}, {}),
        ({420100: {"delivery_status": "sent"}}, {}),
        ({420100: {"likes": 3}}, {}),
        ({}, {"initial_prefecture": 420103}),
    ],
)
def test_bad_input_is_a_value_error(figures, options):
    with pytest.raises((ValueError, TypeError)):
        build_map(figures, **options)


def test_figures_may_be_plain_dicts_keyed_by_string_adcodes():
    html = page({"420100": {"views": 5, "delivery_status": "all_delivered"}})
    assert embedded(html, "regions")["420100"]["s"] == "all_delivered"
