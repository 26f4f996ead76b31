"""The map as a picture for documents: the web map's colours and classes in a PNG, drawn
offline by geopandas and matplotlib."""

import io

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from geodata.boundaries import shipped_layer
from geodata.maps import PALETTE, STYLES, RegionFigures, label_points
from geodata.pictures import cjk_font, map_picture, name_regions

pytestmark = pytest.mark.django_db


def hex_colour(rgb):
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def colours_of(png):
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {hex_colour(colour) for _count, colour in image.getcolors(maxcolors=1 << 20)}


def test_a_png_of_the_province_in_the_web_maps_colours():
    png = map_picture({420100: RegionFigures(views=500)}, measure="views", title="第48周")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    colours = colours_of(png)
    assert PALETTE[3] in colours  # one known value: the web map's single-class colour
    assert STYLES["noData"]["fillColor"] in colours  # the 16 others: 无数据, not zero


def test_one_prefectures_counties_with_classes():
    districts = [*range(420102, 420108), *range(420111, 420118)]  # 武汉市's 13
    figures = {adcode: RegionFigures(views=adcode % 97) for adcode in districts}
    png = map_picture(figures, measure="views", prefecture=420100, classes=3)
    assert {PALETTE[0], PALETTE[3], PALETTE[6]} <= colours_of(png)


def test_names_need_a_cjk_font_and_this_machine_has_one():
    assert cjk_font() == "Noto Sans CJK SC"


@pytest.mark.parametrize(
    "options",
    [{"measure": "likes"}, {"measure": "delivered", "per_10k": True}, {"prefecture": 420102}],
)
def test_bad_input_is_a_value_error(options):
    with pytest.raises(ValueError):
        map_picture({}, **options)


def test_names_that_would_print_over_one_another_are_left_out_the_larger_regions_kept():
    figure = Figure(figsize=(8, 6), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    counties = shipped_layer("county")
    counties[counties.prefecture == 420100].plot(ax=axes)
    axes.set_axis_off()
    points = [point for point in label_points("county") if point[4] == 420100]
    written = name_regions(axes, points, {"family": cjk_font()})
    assert [label.get_text() for label in written] == WUHAN_NAMES_WRITTEN


# 武汉市's 13 districts, largest first; 硚口, 江汉 and 武昌 are too small to name beside the others.
WUHAN_NAMES_WRITTEN = [
    "黄陂区", "江夏区", "新洲区", "蔡甸区", "洪山区",
    "东西湖区", "汉南区", "汉阳区", "青山区", "江岸区",
]  # fmt: skip
