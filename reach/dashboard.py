"""What the officials' dashboard and the public map show, assembled from the coverage figures:
the ranking table (also what the Excel export writes), the map's figures, the reconciliation of
one item per region, the trend, and the official's scope."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geodata.figures import DeliveryStatus
from geodata.figures import RegionFigures as MapFigures
from reach import coverage
from reach.models import DailyReach, OfficialScope

# Delivered this long ago and still not one view in the region: flagged in the reconciliation.
NO_VIEWS_AFTER = datetime.timedelta(hours=48)
DASHBOARD_PERMISSION = "reach.view_coverage_dashboard"

COLUMNS = [
    ("rank", gettext_lazy("排名")),
    ("name", gettext_lazy("地区")),
    ("adcode", gettext_lazy("行政区划代码")),
    ("population", gettext_lazy("常住人口")),
    ("delivered", gettext_lazy("送达渠道数")),
    ("views", gettext_lazy("浏览量")),
    ("views_per_10k", gettext_lazy("每万人浏览量")),
    ("reported_reads", gettext_lazy("上报阅读数")),
    ("reported_reads_per_10k", gettext_lazy("每万人上报阅读数")),
]


def official_scope(user):
    """The prefecture an official may see (a Region), or None for the whole province (also for
    an official with no scope set: the province's figures are public on /map/ anyway). Raises
    PermissionDenied for anyone who may not open the dashboard."""
    if not user.is_authenticated or not user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied(_("您没有查看覆盖看板的权限"))
    scope = OfficialScope.objects.select_related("region").filter(user=user).first()
    return scope.region if scope else None


def ranking(result, measure):
    """The table rows of a level: ranked by the measure (unknown last), then what belongs to no
    region of the map (unranked)."""

    def key(figures):
        value = figures.measure(measure)
        return (value is None, -(value or 0), figures.adcode or 0)

    rows = []
    for rank, figures in enumerate(sorted(result.regions, key=key), start=1):
        value = figures.measure(measure)
        rows.append(table_row(figures, rank if value is not None else None))
    rows.extend(table_row(figures, None, unattributed=True) for figures in result.unattributed)
    return rows


def table_row(figures, rank, unattributed=False):
    return {
        "rank": rank,
        "name": figures.name,
        "adcode": figures.adcode if not unattributed else None,
        "population": figures.population,
        "delivered": figures.delivered,
        "views": figures.views,
        "views_per_10k": figures.views_per_10k,
        "reported_reads": figures.reported_reads,
        "reported_reads_per_10k": figures.reported_reads_per_10k,
        "unattributed": unattributed,
    }


def delivery_status(flt):
    """Per region adcode: whether the deliveries of the filter's items (distributed within the
    dates) all arrived, some are failing, or none arrived. Regions with no delivery: absent."""
    from distribution.models import Delivery, Distribution

    start, _end = coverage_bounds(flt)
    deliveries = Delivery.objects.filter(
        distribution__kind=Distribution.Kind.PUBLISH,
        retracted_at__isnull=True,
        created_at__gte=start,
    )
    if flt.item_id:
        deliveries = deliveries.filter(distribution__page_id=flt.item_id)
    counts = deliveries.values_list("channel__region_id").annotate(
        total=Count("id"), done=Count("id", filter=Q(state=Delivery.State.DELIVERED))
    )
    per_unit = defaultdict(lambda: [0, 0])
    for adcode, total, done in counts.order_by():
        for level in ("prefecture", "county"):
            unit = coverage.unit_of(adcode, level)
            if unit is not None:
                per_unit[unit, level][0] += total
                per_unit[unit, level][1] += done
    status = {}
    for (unit, _level), (total, done) in per_unit.items():
        if done == total:
            status[unit] = DeliveryStatus.ALL_DELIVERED
        elif done == 0:
            status[unit] = DeliveryStatus.NONE_DELIVERED
        else:
            status[unit] = DeliveryStatus.SOME_FAILING
    return status


def coverage_bounds(flt):
    start = timezone.make_aware(datetime.datetime.combine(flt.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(flt.end, datetime.time.max))
    return start, end


def map_figures(flt):
    """Figures for the map builder: both levels (the map drills down from prefectures to
    counties in the browser), only regions with something known; None where unknown."""
    status = delivery_status(flt)
    figures = {}
    for level in ("prefecture", "county"):
        level_filter = coverage.CoverageFilter(
            level=level,
            start=flt.start,
            end=flt.end,
            item_id=flt.item_id,
            topic_id=flt.topic_id,
            scope_adcode=flt.scope_adcode,
        )
        for region in coverage.coverage(level_filter).regions:
            if not region.has_data and region.adcode not in status:
                continue
            figures[region.adcode] = MapFigures(
                delivered=region.delivered,
                views=region.views,
                reported_reads=region.reported_reads,
                delivery_status=status.get(region.adcode),
            )
    return figures


@dataclass
class ReconciliationRow:
    name: str
    sent: int
    delivered: int
    views: int
    reported_reads: int | None
    gaps: list


def reconciliation(flt):
    """For one item, per region of the level: sent → delivered → viewed → reported, with the
    gaps flagged: delivered over 48 hours ago with no view since, and reports without any
    delivery."""
    from distribution.models import Delivery, Distribution

    deliveries = (
        Delivery.objects.filter(
            distribution__page_id=flt.item_id,
            distribution__kind=Distribution.Kind.PUBLISH,
            retracted_at__isnull=True,
        )
        .values_list("channel__region_id")
        .annotate(
            sent=Count("id"),
            delivered=Count("id", filter=Q(state=Delivery.State.DELIVERED)),
            first_delivered=Max("delivered_at"),
        )
        .order_by()
    )
    sent = defaultdict(lambda: [0, 0, None])
    for adcode, n_sent, n_delivered, delivered_at in deliveries:
        unit = coverage.unit_of(adcode, flt.level)
        if unit is None:
            continue
        row = sent[unit]
        row[0] += n_sent
        row[1] += n_delivered
        if delivered_at and (row[2] is None or delivered_at < row[2]):
            row[2] = delivered_at
    now = timezone.now()
    rows = []
    for region in coverage.coverage(flt).regions:
        n_sent, n_delivered, delivered_at = sent.get(region.adcode, (0, 0, None))
        gaps = []
        if (
            n_delivered
            and delivered_at
            and now - delivered_at > NO_VIEWS_AFTER
            and not (region.views)
        ):
            gaps.append(_("送达超过 48 小时仍无浏览"))
        if region.reported_reads and not n_delivered:
            gaps.append(_("有上报阅读但无送达记录"))
        if n_sent > n_delivered:
            gaps.append(_("%(n)s 个渠道未送达") % {"n": n_sent - n_delivered})
        rows.append(
            ReconciliationRow(
                name=region.name,
                sent=n_sent,
                delivered=n_delivered,
                views=region.views,
                reported_reads=region.reported_reads,
                gaps=gaps,
            )
        )
    return rows


def trend_chart(flt, measure, width=720, height=180, pad=28):
    """A small line chart as data for an inline SVG (no chart library, no CDN): the points, the
    axis labels, and the days with no figure left out of the line."""
    series = coverage.trend(flt, measure)
    known = [value for _day, value in series if value is not None]
    top = max(known) if known else 0
    step = (width - 2 * pad) / max(1, len(series) - 1)
    points = []
    for index, (_day, value) in enumerate(series):
        x = pad + index * step
        y = height - pad - ((value or 0) / top * (height - 2 * pad) if top else 0)
        points.append(f"{x:.1f},{y:.1f}")
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "points": " ".join(points),
        "top": top,
        "first": series[0][0] if series else None,
        "last": series[-1][0] if series else None,
        "total": sum(known),
        "measure": coverage.MEASURES[measure.removesuffix("_per_10k")]
        if measure.endswith("_per_10k")
        else coverage.MEASURES[measure],
    }


def has_demo_data(flt):
    return DailyReach.objects.filter(is_demo=True, date__gte=flt.start, date__lte=flt.end).exists()
