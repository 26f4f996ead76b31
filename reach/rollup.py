"""Daily roll-ups: one row per (date, item, region, channel) with the figures side by side. The
map, the dashboard and the coverage API read these rows only, never the raw events.

Rolling up a day recomputes it from the source tables inside one transaction that holds the
day's lock (its ``RollUp`` row, selected for update), so two workers never roll up one day at
once, a second one waits for the first, and running it twice gives the same rows (which a unique
key guarantees besides). A day that fails is recorded (``RollUp.error``, the log, /healthz)
and every other day still rolls up.
"""

import contextlib
import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone

from reach.models import DailyReach, ReportedRead, RollUp, ViewEvent

logger = logging.getLogger(__name__)

ROLLUP_VERSION_KEY = "reach:rollup-version"


def day_bounds(day):
    """The local day as an aware [start, end) range."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def delivered_figures(day, cutoff):
    """(item, region, channel) pairs whose first delivery happened on the day (before the
    cutoff): a resend or a correction of a pair delivered earlier does not count again."""
    from distribution.models import Delivery, Distribution

    start, end = day_bounds(day)
    try:
        start.astimezone(datetime.UTC)
    except OverflowError:  # a day (0001-01-01) no delivery can have happened on
        return []
    end = min(end, cutoff)
    delivered = Delivery.objects.filter(
        state=Delivery.State.DELIVERED,
        distribution__kind=Distribution.Kind.PUBLISH,
        distribution__page__isnull=False,
    )
    pages = delivered.filter(delivered_at__gte=start, delivered_at__lt=end).values(
        "distribution__page_id"
    )
    firsts = (
        delivered.filter(distribution__page_id__in=pages)
        .values_list("distribution__page_id", "channel__region_id", "channel_id")
        .annotate(first=Min("delivered_at"))
        .filter(first__gte=start, first__lt=end)
        .order_by()
    )
    return [(page_id, region_id, channel_id) for page_id, region_id, channel_id, _ in firsts]


def view_figures(day, cutoff):
    """Page loads and distinct visitors per (item, region, channel) of the day."""
    return (
        ViewEvent.objects.filter(date=day, seen_at__lt=cutoff)
        .values_list("page_id", "region_id", "channel_id")
        .annotate(views=Count("id"), visitors=Count("visitor", distinct=True))
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
        DailyReach.objects.filter(date=day, views__gt=0)
        .values_list("page_id", "region_id", "channel_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    )


def lock_day(day):
    """Take the day's lock for the current transaction and return its RollUp row: a second
    roll-up of the same day waits here until the first commits (PostgreSQL: the row is selected
    for update; SQLite: the project's transactions begin IMMEDIATE, one writer at a time)."""
    with contextlib.suppress(IntegrityError):  # created by another process meanwhile
        RollUp.objects.get_or_create(date=day)
    return RollUp.objects.select_for_update().get(date=day)


def roll_up_day(day):
    """Recompute the roll-up rows of one day; returns the number of raw view events read."""
    with transaction.atomic():
        rollup = lock_day(day)
        cutoff = timezone.now()
        purged = bool(rollup.raw_purged_at)
        rows = defaultdict(lambda: [0, 0, 0, 0, 0])  # delivered, views, visitors, reads, reports
        for key in delivered_figures(day, cutoff):
            rows[key][0] += 1
        raw_events = 0
        views = kept_view_figures(day) if purged else view_figures(day, cutoff)
        for page_id, region_id, channel_id, n, visitors in views:
            row = rows[page_id, region_id, channel_id]
            row[1] += n
            row[2] += visitors
            raw_events += n
        for page_id, region_id, channel_id, reads, n in report_figures(day):
            row = rows[page_id, region_id, channel_id]
            row[3] += reads
            row[4] += n
        DailyReach.objects.filter(date=day).delete()
        DailyReach.objects.bulk_create(
            [
                DailyReach(
                    date=day,
                    page_id=page_id,
                    region_id=region_id,
                    channel_id=channel_id,
                    delivered=delivered,
                    views=views,
                    visitors=visitors,
                    reported_reads=reads,
                    reports=reports,
                )
                for (page_id, region_id, channel_id), (
                    delivered,
                    views,
                    visitors,
                    reads,
                    reports,
                ) in rows.items()
            ],
            batch_size=2000,
        )
        rollup.rolled_up_at = cutoff
        if not purged:
            rollup.raw_events = raw_events
        rollup.needs_rerun = False
        rollup.failed_at = None
        rollup.error = ""
        rollup.save()
        # Stale at once here, and again for every process once the new rows are committed.
        bump_rollup_version()
        transaction.on_commit(bump_rollup_version)
    return 0 if purged else raw_events


def days_to_roll_up(today=None):
    """Every day that may have changed since its last roll-up: from the day of the last
    roll-up to today (views and first deliveries are recorded on the day they happen, so a
    worker that was stopped for days catches up on all of them), and every day a late report
    changed. Before the first roll-up: from the first raw view event on."""
    today = today or timezone.localdate()
    last = (
        RollUp.objects.filter(rolled_up_at__isnull=False)
        .order_by("-rolled_up_at")
        .values_list("rolled_up_at", flat=True)
        .first()
    )
    if last is not None:
        since = timezone.localdate(last)
    else:
        since = ViewEvent.objects.order_by("date").values_list("date", flat=True).first() or today
    since = max(
        min(since, today), today - datetime.timedelta(days=settings.REACH_RAW_RETENTION_DAYS)
    )
    days = {since + datetime.timedelta(days=n) for n in range((today - since).days + 1)}
    days.update(RollUp.objects.filter(needs_rerun=True).values_list("date", flat=True))
    return sorted(days)


def roll_up_days(days):
    """Roll up each day in turn; a day that fails is recorded and logged, the others go on.
    Returns ({day: raw events read}, {day: error})."""
    done, failed = {}, {}
    for day in days:
        try:
            done[day] = roll_up_day(day)
        except Exception as exc:  # one bad day must not stop the province's figures
            logger.exception("reach: roll-up of %s failed", day)
            failed[day] = record_failure(day, exc)
    return done, failed


def record_failure(day, exc):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    RollUp.objects.update_or_create(
        date=day, defaults={"failed_at": timezone.now(), "error": error}
    )
    return error


def roll_up_recent(today=None):
    return roll_up_days(days_to_roll_up(today))


def purge_raw_events(today=None):
    """Delete raw view events older than the retention setting, after rolling their day up one
    last time (so no view is lost to the figures). Each day goes in one DELETE statement (no
    receiver listens to view events, so Django does not load them), under the day's lock.
    Returns the number of events deleted."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.REACH_RAW_RETENTION_DAYS)
    deleted = 0
    days = list(
        ViewEvent.objects.filter(date__lt=cutoff)
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )
    for day in days:
        roll_up_day(day)
        with transaction.atomic():
            rollup = lock_day(day)
            deleted += ViewEvent.objects.filter(date=day).delete()[0]
            rollup.raw_purged_at = timezone.now()
            rollup.save(update_fields=["raw_purged_at"])
    return deleted


def bump_rollup_version():
    """Cached coverage answers are keyed by this, in the shared cache, so a roll-up in any
    process makes every process's cached answers stale at once."""
    cache.set(ROLLUP_VERSION_KEY, timezone.now().isoformat(), None)


def rollup_version():
    return cache.get(ROLLUP_VERSION_KEY) or "0"


def as_of():
    """The one time every figure is up to date to: the last roll-up of the most recent day
    rolled up (every earlier day changes only through late reports, flagged for a re-run).
    None before the first roll-up."""
    return (
        RollUp.objects.filter(rolled_up_at__isnull=False)
        .order_by("-date")
        .values_list("rolled_up_at", flat=True)
        .first()
    )


def rolled_up_days(start, end):
    """The days of a period that have been rolled up: their views and deliveries are known
    (zero when none); any other day's are unknown."""
    return set(
        RollUp.objects.filter(
            date__gte=start, date__lte=end, rolled_up_at__isnull=False
        ).values_list("date", flat=True)
    )


def failed_days():
    return list(
        RollUp.objects.filter(failed_at__isnull=False).order_by("date").values_list("date", "error")
    )
