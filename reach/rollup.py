"""Daily roll-ups: one row per (date, item, region, channel) with the three figures side by side.
The map, the dashboard and the coverage API read these rows only, never the raw events.

Rolling up a day recomputes it from the source tables, so running it twice gives the same rows.
Rows loaded as demo data (``is_demo``) are a separate layer that a roll-up leaves alone.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from reach.models import DailyReach, ReportedRead, RollUp, ViewEvent

ROLLUP_VERSION_KEY = "reach:rollup-version"


def day_bounds(day):
    """The local day as an aware [start, end) range."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def delivered_figures(day):
    from distribution.models import Delivery, Distribution

    start, end = day_bounds(day)
    return (
        Delivery.objects.filter(
            state=Delivery.State.DELIVERED,
            delivered_at__gte=start,
            delivered_at__lt=end,
            distribution__kind=Distribution.Kind.PUBLISH,
            distribution__page__isnull=False,
        )
        .values_list("distribution__page_id", "channel__region_id", "channel_id")
        .annotate(n=Count("channel_id", distinct=True))
        .order_by()
    )


def view_figures(day):
    return (
        ViewEvent.objects.filter(date=day)
        .values_list("page_id", "region_id", "channel_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def report_figures(day):
    return (
        ReportedRead.objects.filter(date=day)
        .values_list("page_id", "channel__region_id", "channel_id")
        .annotate(reads=Sum("reads"), n=Count("id"))
        .order_by()
    )


def kept_view_figures(day):
    """Views of a day whose raw events are gone: what the last roll-up counted."""
    return (
        DailyReach.objects.filter(date=day, is_demo=False, views__gt=0)
        .values_list("page_id", "region_id", "channel_id")
        .annotate(n=Sum("views"))
        .order_by()
    )


def roll_up_day(day):
    """Recompute the roll-up rows of one day; returns the number of raw view events read."""
    rollup = RollUp.objects.filter(date=day).first()
    purged = bool(rollup and rollup.raw_purged_at)
    rows = defaultdict(lambda: [0, 0, 0, 0])  # delivered, views, reported reads, reports
    for page_id, region_id, channel_id, n in delivered_figures(day):
        rows[page_id, region_id, channel_id][0] += n
    raw_events = 0
    for page_id, region_id, channel_id, n in (
        kept_view_figures(day) if purged else view_figures(day)
    ):
        rows[page_id, region_id, channel_id][1] += n
        raw_events += n
    for page_id, region_id, channel_id, reads, n in report_figures(day):
        row = rows[page_id, region_id, channel_id]
        row[2] += reads
        row[3] += n
    with transaction.atomic():
        DailyReach.objects.filter(date=day, is_demo=False).delete()
        DailyReach.objects.bulk_create(
            [
                DailyReach(
                    date=day,
                    page_id=page_id,
                    region_id=region_id,
                    channel_id=channel_id,
                    delivered=delivered,
                    views=views,
                    reported_reads=reads,
                    reports=reports,
                )
                for (page_id, region_id, channel_id), (delivered, views, reads, reports) in (
                    rows.items()
                )
            ],
            batch_size=2000,
        )
        RollUp.objects.update_or_create(
            date=day,
            defaults={
                "rolled_up_at": timezone.now(),
                "raw_events": raw_events if not purged else rollup.raw_events,
                "needs_rerun": False,
            },
        )
    bump_rollup_version()
    return 0 if purged else raw_events


def days_to_roll_up(today=None):
    """Today and yesterday (views still arrive until midnight), and every day whose deliveries or
    reports changed since its last roll-up."""
    today = today or timezone.localdate()
    days = {today, today - datetime.timedelta(days=1)}
    days.update(RollUp.objects.filter(needs_rerun=True).values_list("date", flat=True))
    return sorted(days)


def roll_up_recent(today=None):
    return {day: roll_up_day(day) for day in days_to_roll_up(today)}


def purge_raw_events(today=None):
    """Delete raw view events older than the retention setting, after rolling their day up one
    last time (so no view is lost to the figures). Returns the number of events deleted."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.REACH_RAW_RETENTION_DAYS)
    deleted = 0
    for day in ViewEvent.objects.filter(date__lt=cutoff).values_list("date", flat=True).distinct():
        roll_up_day(day)
        with transaction.atomic():
            deleted += ViewEvent.objects.filter(date=day).delete()[0]
            RollUp.objects.filter(date=day).update(raw_purged_at=timezone.now())
    return deleted


def bump_rollup_version():
    """Cached coverage answers are keyed by this, so a new roll-up makes them stale at once."""
    cache.set(ROLLUP_VERSION_KEY, timezone.now().isoformat(), None)


def rollup_version():
    return cache.get(ROLLUP_VERSION_KEY) or "0"


def as_of():
    """When the figures were last brought up to date (None before the first roll-up)."""
    latest = RollUp.objects.filter(rolled_up_at__isnull=False).order_by("-rolled_up_at").first()
    return latest.rolled_up_at if latest else None
