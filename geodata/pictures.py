"""Pictures of the region map for documents (the officials' weekly report): the regions, colours,
classes, names and legend of the web map (``geodata.maps``), drawn by geopandas and matplotlib
into a PNG, offline and without a browser.

Use::

    from geodata.pictures import map_picture

    png = map_picture(figures, measure="reported_reads", per_10k=True, title="第48周")

Chinese text needs a CJK font on the machine (Debian: ``fonts-noto-cjk``); without one the
picture is still drawn and a warning says the names will not show.
"""

import io
import logging
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geodata.boundaries import shipped_layer
from geodata.figures import MEASURES, RATE_MEASURES
from geodata.maps import (
    STYLES,
    Labels,
    draw_level,
    figures_table,
    label_points,
    legend_rows,
    legend_title,
    measure_names,
    normalise,
    region_names,
)

matplotlib.use("Agg")  # no display: pictures are made by the task worker

logger = logging.getLogger(__name__)

# Fonts with the simplified Chinese of region names, the first one installed is used.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
EDGE = "#ffffff"
LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}


@cache
def cjk_font():
    """The family name of an installed font that has Chinese, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    logger.warning("no CJK font installed (fonts-noto-cjk): map pictures will lack their names")
    return None


def fill_colours(regions, adcodes):
    colours = []
    for adcode in adcodes:
        region = regions[int(adcode)]
        colours.append(region.get("f") or STYLES[region["k"]]["fillColor"])
    return colours


def legend_handles(rows):
    handles = []
    for colour, text in rows:
        if colour is None:  # known figure, no population to divide by: outlined, dashed
            style = STYLES["noPopulation"]
            handles.append(
                Patch(facecolor=style["fillColor"], edgecolor=style["color"], ls="--", label=text)
            )
        else:
            handles.append(Patch(facecolor=colour, edgecolor="#999999", label=text))
    return handles


def name_regions(axes, points, text):
    """Write each region's name at its point, largest region first, leaving out a name that
    would overlap one already written (as the web map hides it at that zoom): the small
    districts of a city centre would otherwise print over one another. Returns the names
    written, as matplotlib texts."""
    renderer = axes.figure.canvas.get_renderer()
    axes.apply_aspect()  # where the map will be drawn, before measuring the names on it
    written, boxes = [], []
    for _adcode, lat, lng, name, *_rest in points:
        label = axes.annotate(
            name, (lng, lat), ha="center", va="center", fontsize=7, bbox=LABEL_BOX, **text
        )
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in boxes):
            label.remove()
            continue
        boxes.append(box)
        written.append(label)
    return written


def map_picture(
    figures,
    *,
    measure="views",
    per_10k=False,
    title="",
    caption="",
    prefecture=None,
    scheme="quantiles",
    classes=5,
    size=(8, 6),
    dpi=150,
    labels=None,
):
    """A PNG (bytes) of Hubei's 17 prefecture-level units shaded by one measure, or of one
    prefecture's counties when ``prefecture`` (an adcode) is given. Arguments as
    ``geodata.maps.build_map`` (``labels`` names the measures); ``title`` goes above the map,
    ``caption`` after the legend's title. Raises ValueError for an unknown measure,
    scheme or adcode."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if per_10k and measure not in RATE_MEASURES:
        raise ValueError(f"{measure} has no rate per 10,000 residents")
    level = "county" if prefecture else "prefecture"
    if prefecture and prefecture not in region_names("prefecture").adcode.values:
        raise ValueError(f"{prefecture!r} is not a prefecture-level adcode")
    table = figures_table(normalise(figures))
    rate_measure = measure if measure in RATE_MEASURES else None
    names = measure_names(labels)
    labels = Labels.for_measure(rate_measure, names)
    regions, level_classes, rate = draw_level(
        level, table, measure, per_10k, scheme, classes, labels
    )

    shapes = shipped_layer(level)
    points = label_points(level)
    if prefecture:
        shapes = shapes[shapes.prefecture == prefecture]
        points = [point for point in points if point[4] == prefecture]

    font = cjk_font()
    text = {"family": font} if font else {}
    figure = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    shapes.plot(ax=axes, color=fill_colours(regions, shapes.adcode), edgecolor=EDGE, linewidth=0.8)
    axes.set_axis_off()
    name_regions(axes, points, text)
    legend = axes.legend(
        handles=legend_handles(legend_rows(level_classes, rate, labels)),
        title=legend_title(measure, rate, level, caption, names, per_10k),
        loc="lower left",
        bbox_to_anchor=(1.0, 0.0),
        frameon=False,
        title_fontsize=8,
        prop={"size": 7, **text},
    )
    if font:
        legend.get_title().set_family(font)
    if title:
        figure.suptitle(title, fontsize=12, **text)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
