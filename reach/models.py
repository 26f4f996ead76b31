"""Reach: the figures officials are judged on, kept apart (docs/figures.md, reach/measures.py).

- **送达 delivered**: (channel, item) pairs delivered, from distribution's deliveries;
- **浏览量 views**: page loads on the portal, attributed to the region of the channel whose
  tracked link (``?ch=``) brought the reader, else to no region; **访客 visitors**: daily unique
  visitors per item, from the same raw events;
- **上报阅读量 reported reads**: reads a channel reports for its own platform.

Raw view events are kept for ``REACH_RAW_RETENTION_DAYS``; the map, the dashboard and the API read
the daily roll-ups only. No raw IP address or user agent is stored anywhere: a visitor is a keyed
hash under a salt that exists for one day and is then deleted.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geodata.models import Region


class DailySalt(models.Model):
    """The secret of one day's visitor hashes. Deleting it once the day is over makes those
    hashes impossible to link to anyone, even with the IP address and user agent in hand."""

    date = models.DateField(_("日期"), unique=True)
    salt = models.BinaryField(_("盐值"), max_length=32)

    class Meta:
        verbose_name = _("当日盐值")
        verbose_name_plural = _("当日盐值")

    def __str__(self):
        return self.date.isoformat()


class ViewEvent(models.Model):
    """One page load of an article or video by a person (bots and staff are never recorded).

    The server's ``before_serve_page`` hook writes the row when it renders the page and puts the
    load's id (``load``) in the page; the beacon the page sends carries it back, and finds the
    row of the same load by the same visitor, so that one load is one row whether the server
    rendered it, a cache served it, or both. Views are the rows; visitors are the distinct
    ``visitor`` digests of a day and item.

    Written on every page view, so it carries few indexes: one for the roll-up (by day), one
    that finds a visitor's loads of an item (and the rows of a deleted page), and one on the
    channel for the rare channel deletion. Regions are reference data that is never deleted, so
    the region key has none.
    """

    date = models.DateField(_("日期"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("内容"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("由渠道跟踪链接确定；为空表示地区未知"),
    )
    channel = models.ForeignKey(
        "distribution.Channel",
        verbose_name=_("渠道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    visitor = models.BinaryField(_("访客摘要"), max_length=16)
    load = models.BinaryField(_("页面加载标识"), max_length=16, null=True, blank=True)
    # The beacon of this load came back: a second beacon with the same load id is another load
    # (the page shown again from the browser's cache).
    beacon = models.BooleanField(_("信标已确认"), default=False)
    seen_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("浏览记录")
        verbose_name_plural = _("浏览记录")
        indexes = [
            models.Index(fields=["date"], name="reach_view_date"),
            models.Index(fields=["page", "date", "visitor"], name="reach_view_page_visitor"),
            models.Index(
                fields=["channel"],
                name="reach_view_channel",
                condition=models.Q(channel__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.date} · {self.page_id}"


class ReportedRead(models.Model):
    """Reads a channel reports for its own platform: one figure per (channel, item, date); a
    re-sent report replaces it."""

    channel = models.ForeignKey(
        "distribution.Channel",
        verbose_name=_("渠道"),
        on_delete=models.CASCADE,
        related_name="reported_reads",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("内容"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("日期"))
    reads = models.PositiveBigIntegerField(_("阅读数"))
    received_at = models.DateTimeField(_("首次上报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近上报时间"), auto_now=True)

    class Meta:
        verbose_name = _("渠道上报阅读数")
        verbose_name_plural = _("渠道上报阅读数")
        ordering = ["-date", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "page", "date"], name="reach_one_report_per_channel_item_day"
            )
        ]

    def __str__(self):
        return f"{self.channel} · {self.page} · {self.date}: {self.reads}"


class DailyReach(models.Model):
    """The daily roll-up that every figure on the map, the dashboard and the API is read from.
    One row per (date, item, region, channel), unique; no region and no channel means views whose
    region is unknown. ``delivered`` counts the (channel, item) pairs first delivered that day,
    so summing any dates never counts a pair twice."""

    date = models.DateField(_("日期"))
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("内容"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.ForeignKey(
        "distribution.Channel",
        verbose_name=_("渠道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    delivered = models.PositiveIntegerField(_("送达"), default=0)
    views = models.PositiveBigIntegerField(_("浏览量"), default=0)
    visitors = models.PositiveBigIntegerField(_("访客"), default=0)
    reported_reads = models.PositiveBigIntegerField(_("上报阅读量"), default=0)
    # How many reports the reads come from: no report means "unknown", not zero reads.
    reports = models.PositiveIntegerField(_("上报次数"), default=0)

    class Meta:
        verbose_name = _("每日触达汇总")
        verbose_name_plural = _("每日触达汇总")
        constraints = [
            # NULL region/channel (unknown) must collide too, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                "date",
                "page",
                Coalesce("region", Value(0)),
                Coalesce("channel", Value(0)),
                name="reach_daily_one_row_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["date", "region"], name="reach_daily_date_region"),
            models.Index(fields=["page", "date"], name="reach_daily_page_date"),
            models.Index(
                fields=["channel", "date"],
                name="reach_daily_channel_date",
                condition=models.Q(channel__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.date} · {self.page_id} · {self.region_id or '?'}"


class RollUp(models.Model):
    """The roll-up of one day: when it was last brought up to date (every figure of the day is
    as of that time), whether it must run again, and why its last run failed, if it did. The row
    is also the day's lock: a roll-up holds it for update, so one day rolls up once at a time."""

    date = models.DateField(_("日期"), unique=True)
    rolled_up_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    raw_events = models.PositiveBigIntegerField(_("原始浏览记录数"), default=0)
    needs_rerun = models.BooleanField(_("待重新汇总"), default=False)
    # Set when the day's raw view events were deleted under the retention setting: from then on
    # a re-run keeps the day's view figures and recomputes only deliveries and reports.
    raw_purged_at = models.DateTimeField(_("原始记录清理时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    error = models.TextField(_("失败原因"), blank=True)

    class Meta:
        verbose_name = _("汇总批次")
        verbose_name_plural = _("汇总批次")
        ordering = ["-date"]

    def __str__(self):
        return self.date.isoformat()


class DemoInstall(models.Model):
    """Present when this install holds the demo (``load_demo``): every figure is then said to
    be demo data, in the coverage API (``"demo": true``), on the dashboard, the map and the
    export."""

    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("演示数据标记")
        verbose_name_plural = _("演示数据标记")

    def __str__(self):
        return f"{self.loaded_at:%Y-%m-%d %H:%M}"


def is_demo_install():
    return DemoInstall.objects.exists()


class OfficialScope(models.Model):
    """Which part of the province an official's dashboard shows: one prefecture-level unit (and
    its counties), or the whole province when no region is set."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="official_scope",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PREFECTURE},
        help_text=_("留空表示全省"),
    )

    class Meta:
        verbose_name = _("官员辖区")
        verbose_name_plural = _("官员辖区")
        permissions = [("view_coverage_dashboard", _("可查看覆盖看板"))]

    def __str__(self):
        return f"{self.user} · {self.region or _('全省')}"

    def clean(self):
        if self.region_id and self.region.level != Region.Level.PREFECTURE:
            raise ValidationError({"region": _("辖区只能是地级单位或全省")})


def weekly_report_path(report, filename):
    """Under reports/, which no one is served from the media address (only the download view
    serves a report, to those who may see it), in a folder of its own whose random name cannot
    be guessed from the week and scope."""
    return f"reports/weekly/{secrets.token_hex(8)}/{filename}"


class WeeklyReportQuerySet(models.QuerySet):
    def made(self):
        """Reports whose files are written (a row without them is being made)."""
        return self.filter(created_at__isnull=False)

    def for_scope(self, region):
        """What an official of ``region`` may see: its own prefecture's reports, or every
        report for the province (None)."""
        if region is None:
            return self
        return self.filter(scope=region)


class WeeklyReport(models.Model):
    """The officials' weekly report of one Monday–Sunday week and one scope (the province or a
    prefecture): the dashboard's ranking and headline figures as an Excel file, and a picture of
    the map. Made once by the clock's hourly task (reach.weekly), kept for download.

    The row is claimed (inserted without files) before the files are made, so two workers never
    make one report twice: the unique key lets one insert it; ``created_at`` is set once the
    files are written."""

    week_start = models.DateField(_("起始日期（周一）"))
    week_end = models.DateField(_("结束日期（周日）"))
    scope = models.ForeignKey(
        Region,
        verbose_name=_("范围"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [Region.Level.PROVINCE, Region.Level.PREFECTURE]},
    )
    started_at = models.DateTimeField(_("开始生成时间"), default=timezone.now)
    created_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    workbook = models.FileField(_("Excel 报表"), upload_to=weekly_report_path, blank=True)
    map_picture = models.FileField(_("地图图片"), upload_to=weekly_report_path, blank=True)

    objects = WeeklyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("每周报告")
        verbose_name_plural = _("每周报告")
        ordering = ["-week_start", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "scope"], name="reach_one_weekly_report_per_week_scope"
            )
        ]

    def __str__(self):
        return f"{self.week_label} · {self.scope}"

    @property
    def week_label(self):
        year, week, _day = self.week_start.isocalendar()
        return _("%(year)s年第%(week)s周") % {"year": year, "week": week}

    @property
    def period(self):
        return f"{self.week_start:%Y-%m-%d} 至 {self.week_end:%Y-%m-%d}"
