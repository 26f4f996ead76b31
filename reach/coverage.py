"""Coverage figures per region, read from the daily roll-ups only: what the coverage API, the
officials' dashboard, the Excel export and the public map all show. One filter set, one place
that turns roll-up rows into figures per prefecture or county.

The three figures stay apart. ``*_per_10k`` is given only where a real population is known (the
17 prefecture-level units have census figures; counties mostly do not) and is None otherwise.
Reported reads are None for a region no channel reported for: unknown, not zero.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from content.models import ArticlePage, TopicIndexPage, VideoPage
from geodata.models import Region, per_10k
from reach.models import DailyReach
from reach.rollup import rollup_version

LEVELS = {"prefecture": gettext_lazy("市州"), "county": gettext_lazy("县市区")}
MEASURES = {
    "delivered": gettext_lazy("送达渠道数"),
    "views": gettext_lazy("浏览量"),
    "reported_reads": gettext_lazy("上报阅读数"),
    "views_per_10k": gettext_lazy("每万人浏览量"),
    "reported_reads_per_10k": gettext_lazy("每万人上报阅读数"),
}
DEFAULT_DAYS = 30
MAX_RANGE_DAYS = 3 * 366
PROVINCE = 420000


class InvalidFilter(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CoverageFilter:
    level: str = "prefecture"
    start: datetime.date | None = None
    end: datetime.date | None = None
    item_id: int | None = None
    topic_id: int | None = None
    # The prefecture an official is limited to; None is the whole province.
    scope_adcode: int | None = None

    def cache_key(self):
        raw = f"{self.level}|{self.start}|{self.end}|{self.item_id}|{self.topic_id}|"
        raw += f"{self.scope_adcode}|{rollup_version()}"
        return "reach:coverage:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def make_filter(level="prefecture", start=None, end=None, item=None, topic=None, scope=None):
    """Check a filter set as a user gave it; raises InvalidFilter with a Chinese message. The
    last 30 days (today included) when no dates are given."""
    if level not in LEVELS:
        raise InvalidFilter(
            _("未知的层级“%(level)s”，可选 prefecture 或 county") % {"level": level}
        )
    today = timezone.localdate()
    end = end or today
    start = start or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidFilter(_("开始日期不能晚于结束日期"))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidFilter(_("日期范围不能超过三年"))
    if item is not None and not (
        Page.objects.type(ArticlePage, VideoPage).filter(pk=item).exists()
    ):
        raise InvalidFilter(_("找不到编号为 %(item)s 的内容") % {"item": item})
    if topic is not None and not TopicIndexPage.objects.filter(pk=topic).exists():
        raise InvalidFilter(_("找不到编号为 %(topic)s 的栏目") % {"topic": topic})
    if scope is not None and scope != PROVINCE:
        region = Region.objects.filter(pk=scope).first()
        if region is None:
            raise InvalidFilter(_("未知的行政区划代码 %(adcode)s") % {"adcode": scope})
        if region.level != Region.Level.PREFECTURE:
            raise InvalidFilter(_("只能按地级单位或全省查看"))
    return CoverageFilter(
        level=level,
        start=start,
        end=end,
        item_id=item,
        topic_id=topic,
        scope_adcode=None if scope == PROVINCE else scope,
    )


@dataclass
class RegionFigures:
    adcode: int | None
    name: str
    population: int | None
    delivered: int = 0
    views: int = 0
    reported_reads: int | None = None
    has_data: bool = False
    extra: dict = field(default_factory=dict)

    def per_10k(self, value):
        rate = per_10k(value, self.population)
        return None if rate is None else round(rate, 2)

    @property
    def views_per_10k(self):
        return self.per_10k(self.views)

    @property
    def reported_reads_per_10k(self):
        return self.per_10k(self.reported_reads)

    def measure(self, name):
        return getattr(self, name)

    def add(self, delivered, views, reads, reports):
        self.delivered += delivered or 0
        self.views += views or 0
        if reports:
            self.reported_reads = (self.reported_reads or 0) + (reads or 0)
        self.has_data = self.has_data or bool(delivered or views or reports)

    def as_dict(self):
        return {
            "adcode": self.adcode,
            "name": self.name,
            "population": self.population,
            "delivered": self.delivered,
            "views": self.views,
            "reported_reads": self.reported_reads,
            "views_per_10k": self.views_per_10k,
            "reported_reads_per_10k": self.reported_reads_per_10k,
        }


@dataclass
class Coverage:
    """Figures for the map units of one level, plus what belongs to no unit of that level
    (views whose region is unknown; channels of the province, or of a city as a whole on the
    county map), shown beside the ranking but never spread onto the map."""

    filter: CoverageFilter
    regions: list
    unattributed: list


def map_units(level, scope_adcode=None):
    """The regions drawn at a level (in adcode order), limited to one prefecture's when scoped."""
    units = (
        Region.objects.prefecture_level()
        if level == "prefecture"
        else (Region.objects.county_level())
    )
    if scope_adcode:
        units = units.filter(Q(pk=scope_adcode) | Q(parent_id=scope_adcode))
    return list(units.order_by("adcode"))


def filtered_rollups(flt):
    """The roll-up rows a filter set covers (dates, item or topic), not yet limited by region."""
    rows = DailyReach.objects.filter(date__gte=flt.start, date__lte=flt.end)
    if flt.item_id:
        rows = rows.filter(page_id=flt.item_id)
    if flt.topic_id:
        topic = Page.objects.get(pk=flt.topic_id)
        rows = rows.filter(page__path__startswith=topic.path, page__depth=topic.depth + 1)
    return rows


def rollup_rows(flt):
    return (
        filtered_rollups(flt)
        .values_list("region_id")
        .annotate(
            delivered=Sum("delivered"),
            views=Sum("views"),
            reads=Sum("reported_reads"),
            reports=Sum("reports"),
        )
        .order_by()
    )


@cache
def region_parents():
    """adcode → (level, parent adcode, directly administered); regions are reference data."""
    return {
        r.adcode: (r.level, r.parent_id, r.is_directly_administered)
        for r in Region.objects.only("adcode", "level", "parent_id", "is_directly_administered")
    }


def unit_of(adcode, level):
    """The map unit of a level that a region's figures count towards, or None."""
    info = region_parents().get(adcode)
    if info is None:
        region_parents.cache_clear()
        info = region_parents().get(adcode)
        if info is None:
            return None
    region_level, parent, direct = info
    if level == "prefecture":
        if region_level == Region.Level.PREFECTURE:
            return adcode
        if region_level == Region.Level.COUNTY:
            return parent
        return None
    if region_level == Region.Level.COUNTY or direct:
        return adcode
    return None


def compute_coverage(flt):
    units = {
        r.adcode: RegionFigures(r.adcode, r.name, r.population)
        for r in map_units(flt.level, flt.scope_adcode)
    }
    unknown = RegionFigures(None, _("地区未知（非渠道链接）"), None)
    province = RegionFigures(PROVINCE, _("省级渠道"), None)
    whole_city = RegionFigures(None, _("市级渠道（不分县）"), None)
    for adcode, delivered, views, reads, reports in rollup_rows(flt):
        if adcode is None:
            target = unknown
        else:
            unit = unit_of(adcode, flt.level)
            if unit is not None:
                target = units.get(unit)
                if target is None:  # outside the official's prefecture
                    continue
            elif adcode == PROVINCE:
                target = province
            elif flt.scope_adcode and adcode != flt.scope_adcode:
                continue
            else:
                target = whole_city
        target.add(delivered, views, reads, reports)
    extras = [unknown, whole_city] if flt.scope_adcode else [unknown, province, whole_city]
    return Coverage(
        filter=flt,
        regions=list(units.values()),
        unattributed=[figures for figures in extras if figures.has_data],
    )


def coverage(flt):
    """Figures for a filter set, cached until the next roll-up (or REACH_COVERAGE_CACHE_SECONDS)."""
    key = flt.cache_key()
    result = django_cache.get(key)
    if result is None:
        result = compute_coverage(flt)
        django_cache.set(key, result, settings.REACH_COVERAGE_CACHE_SECONDS)
    return result


@cache
def _shapes(level):
    from geodata.boundaries import shipped_layer_path

    collection = json.loads(shipped_layer_path(level).read_text(encoding="utf-8"))
    return {f["properties"]["adcode"]: f["geometry"] for f in collection["features"]}


def coverage_geojson(result):
    """The coverage of the map units as a GeoJSON FeatureCollection."""
    shapes = _shapes(result.filter.level)
    flt = result.filter
    return {
        "type": "FeatureCollection",
        "properties": {
            "level": flt.level,
            "start": flt.start.isoformat(),
            "end": flt.end.isoformat(),
            "item": flt.item_id,
            "topic": flt.topic_id,
        },
        "features": [
            {
                "type": "Feature",
                "id": figures.adcode,
                "properties": figures.as_dict(),
                "geometry": shapes.get(figures.adcode),
            }
            for figures in result.regions
        ],
    }


def trend(flt, measure):
    """Daily totals of a measure over the filter's dates, for the whole scope."""
    rows = filtered_rollups(flt)
    if flt.scope_adcode:
        rows = rows.filter(Q(region_id=flt.scope_adcode) | Q(region__parent_id=flt.scope_adcode))
    column = {"delivered": "delivered", "views": "views"}.get(measure.removesuffix("_per_10k"))
    column = column or "reported_reads"
    totals = dict(rows.values_list("date").annotate(total=Sum(column)).order_by())
    days = (flt.end - flt.start).days + 1
    return [
        (flt.start + datetime.timedelta(days=n), totals.get(flt.start + datetime.timedelta(days=n)))
        for n in range(days)
    ]
