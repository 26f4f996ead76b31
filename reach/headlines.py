"""The dashboard's headline figures and what moved most: the totals of the chosen period within
the official's scope, each beside the previous period of the same length, and the regions and
items whose 浏览量 changed most between the two. Read from the same coverage figures as the map
and the table, so the headline equals the table's column added up; unknown stays unknown (a
period never rolled up has no figures, and a change against it is not a change from 0)."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from reach import coverage, dashboard, measures, rollup

HEADLINE_MEASURES = ("delivered", "views", "visitors", "reported_reads")
MOVERS = 10


@dataclass
class Headline:
    key: str
    label: str
    value: int | None
    previous: int | None
    total: int | None = None  # for counties reached: out of how many

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self):
        """None where it means nothing: unknown, or nothing at all before."""
        if self.change is None or not self.previous:
            return None
        return round(self.change / self.previous * 100, 1)

    @property
    def text(self):
        return dashboard.display(self.key, self.value)

    @property
    def direction(self):
        """up, down or same (for the arrow and its colour); None when there is no change."""
        if self.change is None:
            return None
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"

    @property
    def change_text(self):
        """The change against the previous period in words; unknown is said, never shown as 0."""
        if self.value is None:
            return ""
        if self.previous is None:
            return gettext("上一时段：%(unknown)s") % {"unknown": dashboard.display(self.key, None)}
        if self.change == 0:
            return gettext("与上一时段持平")
        change = f"{self.change:+,}".replace("-", "−")
        if self.change_percent is None:
            return gettext("比上一时段 %(change)s（上一时段为 0）") % {"change": change}
        percent = f"{self.change_percent:+.1f}%".replace("-", "−")
        return gettext("比上一时段 %(change)s（%(percent)s）") % {
            "change": change,
            "percent": percent,
        }


def previous_period(flt):
    """The period of the same length that ends the day before the filter's starts."""
    length = (flt.end - flt.start).days + 1
    return dataclasses.replace(
        flt,
        start=flt.start - datetime.timedelta(days=length),
        end=flt.start - datetime.timedelta(days=1),
    )


def totals(flt):
    """The scope's totals of each headline measure: everything in the scope, the regions of the
    map and what belongs to none of them (views of unknown region, a city's own channels), as
    the table lists them. None where no part of it is known."""
    result = coverage.coverage(dataclasses.replace(flt, level="prefecture"))
    everything = [*result.regions, *result.unattributed]
    figures = {}
    for key in HEADLINE_MEASURES:
        known = [getattr(f, key) for f in everything if getattr(f, key) is not None]
        figures[key] = sum(known) if known else None
    return figures


def counties_reached(flt):
    """(County-level units in the scope with at least one first delivery in the period, how
    many there are); the first is None for a period never rolled up."""
    regions = coverage.coverage(dataclasses.replace(flt, level="county")).regions
    if not rollup.rolled_up_days(flt.start, flt.end):
        return None, len(regions)
    return sum(1 for r in regions if r.delivered), len(regions)


def headlines(flt):
    now, before = totals(flt), totals(previous_period(flt))
    rows = [
        Headline(key, str(measures.LABELS[key]), now[key], before[key]) for key in HEADLINE_MEASURES
    ]
    reached, of = counties_reached(flt)
    reached_before, _of = counties_reached(previous_period(flt))
    rows.append(
        Headline("counties_reached", str(measures.COUNTIES_REACHED), reached, reached_before, of)
    )
    return rows


@dataclass
class Mover:
    name: str
    views: int
    previous: int

    @property
    def change(self):
        return self.views - self.previous

    @property
    def change_text(self):
        return f"{self.change:+,}".replace("-", "−")


def most_moved(now, before, names):
    """The ten keys whose views changed most either way (ties by name), unchanged ones left out."""
    movers = [
        Mover(names[key], now.get(key, 0), before.get(key, 0))
        for key in set(now) | set(before)
        if key in names and now.get(key, 0) != before.get(key, 0)
    ]
    movers.sort(key=lambda m: (-abs(m.change), m.name))
    return movers[:MOVERS]


def both_periods_known(flt):
    previous = previous_period(flt)
    return bool(
        rollup.rolled_up_days(flt.start, flt.end)
        and rollup.rolled_up_days(previous.start, previous.end)
    )


def region_movers(flt):
    """The regions of the filter's level whose 浏览量 changed most; None when either period is
    unknown (never rolled up)."""
    if not both_periods_known(flt):
        return None

    def views(period):
        return {r.adcode: r.views for r in coverage.coverage(period).regions}

    names = {r.adcode: r.name for r in coverage.coverage(flt).regions}
    return most_moved(views(flt), views(previous_period(flt)), names)


def item_views(flt):
    rows = coverage.scoped(coverage.filtered_rollups(flt), flt)
    return dict(rows.values_list("page_id").annotate(total=Sum("views")).order_by())


def item_movers(flt):
    """The items whose 浏览量 in the scope changed most; None when either period is unknown."""
    if not both_periods_known(flt):
        return None
    now, before = item_views(flt), item_views(previous_period(flt))
    names = dict(Page.objects.filter(pk__in=set(now) | set(before)).values_list("pk", "title"))
    return most_moved(now, before, names)


UNKNOWN_COMPARISON = _("本时段或上一时段尚未汇总，无法比较")
