"""Coverage figures per region, read from the daily roll-ups only: what the coverage API, the
officials' dashboard, the Excel export and the public map all show. One filter set, one place
that turns roll-up rows into figures per prefecture or county.

The figures stay apart (reach/measures.py names them). Unknown is never zero: views, visitors
and deliveries are known for the days that have been rolled up (zero where nothing happened)
and unknown (None) for a period not rolled up at all; reported reads are None for a region no
channel reported for; ``*_per_10k`` only where a real population is known (the 17
prefecture-level units have census figures; counties mostly do not).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from content.models import ArticlePage, TopicIndexPage, VideoPage
from geodata.models import Region, per_10k
from reach import measures, rollup
from reach.models import DailyReach

LEVELS = {"prefecture": gettext_lazy("市州"), "county": gettext_lazy("县市区")}
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
        raw += f"{self.scope_adcode}|{rollup.rollup_version()}"
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
    delivered: int | None = None
    delivered_channels: int | None = None
    views: int | None = None
    visitors: int | None = None
    reported_reads: int | None = None
    has_data: bool = False
    extra: dict = field(default_factory=dict)

    def counted(self):
        """The period has been rolled up: views, visitors and deliveries are known from now on
        (zero until a row says otherwise)."""
        self.delivered = self.delivered or 0
        self.delivered_channels = self.delivered_channels or 0
        self.views = self.views or 0
        self.visitors = self.visitors or 0

    def per_10k(self, value):
        rate = per_10k(value, self.population)
        return None if rate is None else round(rate, 2)

    @property
    def views_per_10k(self):
        return self.per_10k(self.views)

    @property
    def visitors_per_10k(self):
        return self.per_10k(self.visitors)

    @property
    def reported_reads_per_10k(self):
        return self.per_10k(self.reported_reads)

    def measure(self, name):
        return getattr(self, name)

    def add(self, delivered, views, visitors, reads, reports):
        self.counted()
        self.delivered += delivered or 0
        self.views += views or 0
        self.visitors += visitors or 0
        if reports:
            self.reported_reads = (self.reported_reads or 0) + (reads or 0)
        self.has_data = self.has_data or bool(delivered or views or reports)

    def as_dict(self):
        return {
            "adcode": self.adcode,
            "name": self.name,
            "population": self.population,
            "delivered": self.delivered,
            "delivered_channels": self.delivered_channels,
            "views": self.views,
            "visitors": self.visitors,
            "reported_reads": self.reported_reads,
            "views_per_10k": self.views_per_10k,
            "visitors_per_10k": self.visitors_per_10k,
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
    # Cached with the figures: it changes only with a roll-up, which also renews the cache key.
    as_of: datetime.datetime | None = None


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


def scoped(rows, flt):
    """Roll-up rows limited to an official's prefecture (its own channels and its counties')."""
    if flt.scope_adcode:
        return rows.filter(Q(region_id=flt.scope_adcode) | Q(region__parent_id=flt.scope_adcode))
    return rows


def rollup_rows(flt):
    return (
        filtered_rollups(flt)
        .values_list("region_id")
        .annotate(
            delivered=Sum("delivered"),
            views=Sum("views"),
            visitors=Sum("visitors"),
            reads=Sum("reported_reads"),
            reports=Sum("reports"),
        )
        .order_by()
    )


def channel_rows(flt):
    """Distinct channels that received something, per region (a channel has one region, so
    adding regions up never counts a channel twice)."""
    return (
        filtered_rollups(flt)
        .filter(delivered__gt=0)
        .values_list("region_id")
        .annotate(channels=Count("channel_id", distinct=True))
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
    if rollup.rolled_up_days(flt.start, flt.end):
        for figures in (*units.values(), unknown, province, whole_city):
            figures.counted()

    def target_of(adcode):
        if adcode is None:
            # Views whose region nobody knows belong to no prefecture's official.
            return None if flt.scope_adcode else unknown
        unit = unit_of(adcode, flt.level)
        if unit is not None:
            return units.get(unit)  # None: outside the official's prefecture
        if adcode == PROVINCE:
            return None if flt.scope_adcode else province
        if flt.scope_adcode and adcode != flt.scope_adcode:
            return None
        return whole_city

    for adcode, delivered, views, visitors, reads, reports in rollup_rows(flt):
        target = target_of(adcode)
        if target is not None:
            target.add(delivered, views, visitors, reads, reports)
    for adcode, channels in channel_rows(flt):
        target = target_of(adcode)
        if target is not None:
            target.delivered_channels = (target.delivered_channels or 0) + channels
    extras = [unknown, whole_city] if flt.scope_adcode else [unknown, province, whole_city]
    return Coverage(
        filter=flt,
        regions=list(units.values()),
        unattributed=[figures for figures in extras if figures.has_data],
        as_of=rollup.as_of(),
    )


def coverage(flt):
    """Figures for a filter set, cached in the shared cache until the next roll-up in any
    process (or REACH_COVERAGE_CACHE_SECONDS)."""
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


def coverage_geojson(result, demo=False, as_of=None, scope_name=None):
    """The coverage of the map units as a GeoJSON FeatureCollection; ``demo`` and the filters
    are members of the collection itself."""
    shapes = _shapes(result.filter.level)
    flt = result.filter
    return {
        "type": "FeatureCollection",
        "demo": demo,
        "properties": {
            "level": flt.level,
            "start": flt.start.isoformat(),
            "end": flt.end.isoformat(),
            "item": flt.item_id,
            "topic": flt.topic_id,
            "region": flt.scope_adcode,
            "scope": scope_name,
            "as_of": as_of.isoformat() if as_of else None,
            "labels": {key: str(label) for key, label in measures.LABELS.items()},
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
    """Daily totals of a measure over the filter's dates, for the whole scope: None for a day
    whose figure is unknown (not rolled up; for reported reads, no report that day)."""
    rows = scoped(filtered_rollups(flt), flt)
    base = measure.removesuffix("_per_10k")
    if base == "delivered_channels":
        totals = dict(
            rows.filter(delivered__gt=0)
            .values_list("date")
            .annotate(total=Count("channel_id", distinct=True))
            .order_by()
        )
    elif base == "reported_reads":
        totals = dict(
            rows.filter(reports__gt=0)
            .values_list("date")
            .annotate(total=Sum("reported_reads"))
            .order_by()
        )
    else:
        totals = dict(rows.values_list("date").annotate(total=Sum(base)).order_by())
    counted = rollup.rolled_up_days(flt.start, flt.end)
    series = []
    for n in range((flt.end - flt.start).days + 1):
        day = flt.start + datetime.timedelta(days=n)
        if base == "reported_reads":
            value = totals.get(day)
        else:
            value = totals.get(day, 0) if day in counted else None
        series.append((day, value))
    return series
