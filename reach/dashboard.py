"""What the officials' dashboard and the public map show, assembled from the coverage figures:
the ranking table (also what the Excel export writes), the map's figures, the reconciliation of
one item per region, and the trend. Everything is as of one time, the last roll-up: the figures,
the delivery-status layer and the reconciliation alike."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geodata.figures import DeliveryStatus
from geodata.figures import RegionFigures as MapFigures
from reach import coverage, measures
from reach.rollup import day_bounds

# Delivered this long ago and still not one view in the region: flagged in the reconciliation.
NO_VIEWS_AFTER = datetime.timedelta(hours=48)

FIGURE_COLUMNS = (
    "delivered",
    "delivered_channels",
    "views",
    "visitors",
    "views_per_10k",
    "reported_reads",
    "reported_reads_per_10k",
)
COLUMNS = [
    ("rank", gettext_lazy("排名")),
    ("name", gettext_lazy("地区")),
    ("adcode", gettext_lazy("行政区划代码")),
    ("population", gettext_lazy("常住人口")),
    *((key, measures.label(key)) for key in FIGURE_COLUMNS),
]


def unknown_text(key):
    if key == "population":
        return measures.UNKNOWN["population"]
    if key.endswith("_per_10k"):
        return measures.UNKNOWN["rate"]
    if key == "reported_reads":
        return measures.UNKNOWN["reported_reads"]
    return measures.UNKNOWN["any"]


def display(key, value):
    """A figure as the table prints it: unknown said in words, never as 0 or a dash alone."""
    if value is None:
        return str(unknown_text(key))
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


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
    row = {
        "rank": rank,
        "name": figures.name,
        "adcode": figures.adcode if not unattributed else None,
        "population": figures.population,
        **{key: figures.measure(key) for key in FIGURE_COLUMNS},
        "unattributed": unattributed,
    }
    row["cells"] = [
        (key, row[key] is None, display(key, row[key])) for key in ("population", *FIGURE_COLUMNS)
    ]
    return row


def period_caption(flt):
    return f"{flt.start:%Y-%m-%d} 至 {flt.end:%Y-%m-%d}"


def map_measure(measure):
    """What the map builders (the web map, the picture) shade for a measure of the table: the
    map has no layer of 送达渠道, so it shows 送达 for it."""
    base = measure.removesuffix("_per_10k")
    return {
        "measure": "delivered" if base == "delivered_channels" else base,
        "per_10k": measure.endswith("_per_10k"),
    }


def as_of_bound(flt, as_of):
    """The end of what the figures of a filter can know: the end of its last day, or the last
    roll-up if that is earlier (None before the first roll-up)."""
    if as_of is None:
        return None
    return min(day_bounds(flt.end)[1], as_of)


def delivery_status(flt, as_of):
    """Per region adcode, as of the last roll-up: whether the deliveries of the filter's items
    made within its dates had all arrived, some had not, or none had. Regions with no delivery
    in the period: absent."""
    from distribution.models import Delivery, Distribution

    end = as_of_bound(flt, as_of)
    if end is None:
        return {}
    deliveries = Delivery.objects.filter(
        distribution__kind=Distribution.Kind.PUBLISH,
        created_at__gte=day_bounds(flt.start)[0],
        created_at__lt=end,
    ).exclude(retracted_at__lt=end)
    if flt.item_id:
        deliveries = deliveries.filter(distribution__page_id=flt.item_id)
    counts = deliveries.values_list("channel__region_id").annotate(
        total=Count("id"), done=Count("id", filter=Q(delivered_at__lt=end))
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


def map_figures(flt, as_of):
    """Figures for the map builder: both levels (the map drills down from prefectures to
    counties in the browser); None where unknown, drawn as 无数据."""
    status = delivery_status(flt, as_of)
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
            figures[region.adcode] = MapFigures(
                delivered=region.delivered,
                views=region.views,
                visitors=region.visitors,
                reported_reads=region.reported_reads,
                delivery_status=status.get(region.adcode),
            )
    return figures


@dataclass
class ReconciliationRow:
    name: str
    sent: int
    delivered: int
    views: int | None
    visitors: int | None
    reported_reads: int | None
    gaps: list


def reconciliation(flt, as_of):
    """For one item, per region of the level, as of the last roll-up: sent → delivered →
    viewed → reported, with the gaps flagged: delivered over 48 hours ago with no view since,
    and reports without any delivery."""
    from distribution.models import Delivery, Distribution

    end = as_of_bound(flt, as_of) or timezone.now()
    deliveries = (
        Delivery.objects.filter(
            distribution__page_id=flt.item_id,
            distribution__kind=Distribution.Kind.PUBLISH,
            created_at__lt=end,
        )
        .exclude(retracted_at__lt=end)
        .values_list("channel__region_id")
        .annotate(
            sent=Count("channel_id", distinct=True),
            delivered=Count("channel_id", distinct=True, filter=Q(delivered_at__lt=end)),
            first_delivered=Min("delivered_at", filter=Q(delivered_at__lt=end)),
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
    rows = []
    for region in coverage.coverage(flt).regions:
        n_sent, n_delivered, delivered_at = sent.get(region.adcode, (0, 0, None))
        gaps = []
        if (
            n_delivered
            and delivered_at
            and end - delivered_at > NO_VIEWS_AFTER
            and not region.views
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
                visitors=region.visitors,
                reported_reads=region.reported_reads,
                gaps=gaps,
            )
        )
    return rows


def trend_chart(flt, measure, width=720, height=180, pad=28):
    """A small line chart as data for an inline SVG (no chart library, no CDN): the points in
    runs of known days (an unknown day breaks the line: it is not drawn as zero), the axis
    labels, and how many days are unknown."""
    series = coverage.trend(flt, measure)
    known = [value for _day, value in series if value is not None]
    top = max(known) if known else 0
    step = (width - 2 * pad) / max(1, len(series) - 1)
    runs, run = [], []
    for index, (_day, value) in enumerate(series):
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        x = pad + index * step
        y = height - pad - (value / top * (height - 2 * pad) if top else 0)
        run.append(f"{x:.1f},{y:.1f}")
    if run:
        runs.append(run)
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "lines": [" ".join(points) for points in runs if len(points) > 1],
        "dots": [points[0] for points in runs if len(points) == 1],
        "top": top,
        "first": series[0][0] if series else None,
        "last": series[-1][0] if series else None,
        "total": sum(known),
        "known_days": len(known),
        "unknown_days": len(series) - len(known),
        "measure": measures.label(measure.removesuffix("_per_10k")),
    }
