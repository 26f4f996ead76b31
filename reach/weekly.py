"""The officials' weekly report: for the last full Monday–Sunday week, for the province and for
every prefecture an official is scoped to, the dashboard's ranking and headline figures as an
Excel file and the dashboard's map as a picture. Everything is read through the dashboard's own
functions with the dashboard's defaults for that scope, so a report says what the dashboard said
for the same week.

The clock's hourly task (reach.tasks.make_weekly_reports) makes a week's reports once the week
is final: its Sunday has been rolled up after it ended. Making one is claimed first, by
inserting its row (the unique key of week and scope lets one process in), so two workers never
make it twice; a claim whose maker died is taken over after ``STALE_AFTER``.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geodata.models import Region
from reach import coverage, dashboard, export, headlines, measures, rollup
from reach.forms import CoverageForm
from reach.models import OfficialScope, RollUp, WeeklyReport, is_demo_install
from reach.scope import official_region, scope_name

logger = logging.getLogger(__name__)

# A report being made for longer than this has lost its maker (a killed worker): made again.
STALE_AFTER = datetime.timedelta(minutes=30)


class Outcome(models.TextChoices):
    MADE = "made", gettext_lazy("已生成")
    EXISTS = "exists", gettext_lazy("已存在，未重复生成")
    BEING_MADE = "being_made", gettext_lazy("另一进程正在生成，未重复生成")


def last_full_week(today=None):
    """(Monday, Sunday) of the last week that has ended."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


def week_of(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def is_final(week_end):
    """The week's last day has been rolled up after it ended: its figures will not change
    except through a late channel report."""
    return RollUp.objects.filter(
        date=week_end, rolled_up_at__gte=rollup.day_bounds(week_end)[1]
    ).exists()


def report_scopes():
    """The province, and every prefecture an official is scoped to."""
    prefectures = OfficialScope.objects.filter(region__isnull=False).values("region")
    return [
        Region.objects.get(pk=coverage.PROVINCE),
        *Region.objects.filter(pk__in=prefectures).order_by("pk"),
    ]


def week_form(scope, start, end):
    """The dashboard's filter form for the week and scope, with the dashboard's defaults (level
    and measure) for that scope."""
    region = official_region(scope)
    query = {"start": start.isoformat(), "end": end.isoformat()}
    form = CoverageForm(CoverageForm.with_defaults(query, region), scope=region)
    if not form.is_valid():  # the week and scope come from the code, never from a user
        raise ValueError(f"weekly report filter refused: {form.errors.as_json()}")
    return form


def title(scope, start, end):
    year, week, _day = start.isocalendar()
    return _("湖北网络普法覆盖周报：%(scope)s · %(year)s年第%(week)s周（%(start)s 至 %(end)s）") % {
        "scope": scope_name(scope),
        "year": year,
        "week": week,
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
    }


def build_files(scope, start, end):
    """(.xlsx bytes, .png bytes) of the week's report for the scope, as of now."""
    form = week_form(scope, start, end)
    flt = form.coverage_filter()
    measure = form.cleaned_data["measure"]
    as_of = rollup.as_of()
    demo = is_demo_install()
    heading = title(scope, start, end)
    lines = export.heading_lines(scope_name(scope), flt, form, as_of, demo)
    workbook = export.ranking_workbook(
        dashboard.ranking(coverage.coverage(flt), measure),
        heading,
        lines,
        headlines=headlines.headlines(flt),
        previous_caption=dashboard.period_caption(headlines.previous_period(flt)),
    )
    caption = dashboard.period_caption(flt)
    if demo:
        caption = f"{caption}（{_('演示数据')}）"
    return workbook, map_png(flt, measure, as_of, heading, caption)


def map_png(flt, measure, as_of, heading, caption):
    # The picture builder loads matplotlib, geopandas and the shapes: only the worker that draws
    # a report pays, not every process that imports the task (the clock).
    from geodata.pictures import map_picture

    return map_picture(
        dashboard.map_figures(flt, as_of),
        **dashboard.map_measure(measure),
        title=heading,
        caption=caption,
        prefecture=flt.scope_adcode,
        labels=measures.map_labels(),
    )


def claim(scope, start, end):
    """The right to make the report: its new row, or the row of a maker that died. None when it
    is made or another process is making it now."""
    existing = WeeklyReport.objects.filter(scope=scope, week_start=start)
    if not existing.exists():
        try:
            with transaction.atomic():
                return WeeklyReport.objects.create(scope=scope, week_start=start, week_end=end)
        except IntegrityError:  # another process inserted it a moment ago
            return None
    now = timezone.now()
    taken = existing.filter(created_at__isnull=True, started_at__lt=now - STALE_AFTER).update(
        started_at=now
    )
    return existing.get() if taken else None


def make_report(scope, start, end):
    """Make the report of a week and scope unless it exists or is being made; returns the
    outcome and the report (None unless made here)."""
    report = claim(scope, start, end)
    if report is None:
        made = WeeklyReport.objects.made().filter(scope=scope, week_start=start).exists()
        return (Outcome.EXISTS if made else Outcome.BEING_MADE), None
    try:
        workbook, picture = build_files(scope, start, end)
        stem = f"{start:%G-W%V}-{scope.pk}"
        report.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
        report.map_picture.save(f"{stem}.png", ContentFile(picture), save=False)
        report.created_at = timezone.now()
        report.save(update_fields=["workbook", "map_picture", "created_at"])
    except Exception:
        discard(report)  # the next run makes it again
        raise
    logger.info("reach: weekly report %s made", report)
    return Outcome.MADE, report


def discard(report):
    """Delete a report and its files."""
    for field in (report.workbook, report.map_picture):
        if field:
            field.delete(save=False)
    report.delete()


def make_missing_reports(today=None, week=None):
    """Make every missing report of the last full week (or of the week of the date ``week``) once
    the week is final. Returns {scope name: outcome}; empty while the week is not final."""
    start, end = week_of(week) if week else last_full_week(today)
    if not is_final(end):
        logger.info("reach: weekly reports of %s wait for %s to be rolled up", start, end)
        return {}
    return {str(scope_name(scope)): make_report(scope, start, end)[0] for scope in report_scopes()}
