"""Reads that a channel reports for its own platform. A channel reports only for itself (its
token says who it is); re-sending a (channel, item, date) replaces the figure; figures that cannot
be true are refused with a reason in Chinese and logged, never silently stored or dropped."""

import datetime
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from content.models import ArticlePage, VideoPage
from geodata.models import Region
from reach.models import ReportedRead, RollUp

logger = logging.getLogger(__name__)

# A day's reads above this many times the residents of the channel's region cannot be true.
ABSURD_READS_PER_RESIDENT = 10


class ReportRefused(Exception):
    """A report that cannot be accepted; ``message`` is shown to the channel as is. A report the
    schema lets through but the figures cannot believe (a date outside the item's life, reads
    beyond any audience) is a 400, as the other APIs answer a request the data refuses; 422 is
    the schema's own answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ReportOutcome:
    report: ReportedRead
    replaced: bool
    previous_reads: int | None


def content_item(item_id=None, item_url=None):
    """The live article or video a report is about, by page id or by its URL on our site."""
    pages = Page.objects.live().type(ArticlePage, VideoPage)
    if item_id is not None:
        page = pages.filter(pk=item_id).first()
    else:
        page = page_for_url(pages, item_url)
    if page is None:
        raise ReportRefused(_("找不到该内容（须为本站已发布的文章或视频）"), status=404)
    return page


def page_for_url(pages, url):
    path = urlsplit(url or "").path
    if not path.startswith("/"):
        return None
    if not path.endswith("/"):
        path += "/"
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    return pages.filter(url_path=site.root_page.url_path + path.lstrip("/")).first()


def population_ceiling(region):
    """The region whose residents a channel's daily reads are checked against: its own, or,
    where a county's population is unknown, its prefecture's (a county cannot have more readers
    than its prefecture has residents). None when neither is known."""
    for candidate in (region, region.prefecture, region.parent):
        if candidate is not None and candidate.population:
            return candidate
    return None


# An item with no publication time on record takes reports this far back at most.
UNDATED_ITEM_DAYS = 366


def first_published_day(page):
    """The local day an item was first published (the first day it could be read)."""
    published = page.first_published_at or page.last_published_at or page.latest_revision_created_at
    if published is None:
        return timezone.localdate() - datetime.timedelta(days=UNDATED_ITEM_DAYS)
    return timezone.localdate(published)


def check_report(channel, page, day, reads):
    if reads < 0:
        raise ReportRefused(_("阅读数不能为负数"))
    today = timezone.localdate()
    if day > today:
        raise ReportRefused(
            _("不能上报未来日期（%(day)s）的阅读数，今天是 %(today)s")
            % {"day": day.isoformat(), "today": today.isoformat()}
        )
    first = first_published_day(page)
    if day < first:
        raise ReportRefused(
            _("《%(title)s》于 %(first)s 首次发布，不能上报此前日期（%(day)s）的阅读数")
            % {"title": page.title, "first": first.isoformat(), "day": day.isoformat()}
        )
    region = Region.objects.select_related("parent").get(pk=channel.region_id)
    ceiling = population_ceiling(region)
    if ceiling is not None and reads > ABSURD_READS_PER_RESIDENT * ceiling.population:
        raise ReportRefused(
            _(
                "阅读数 %(reads)s 超过%(region)s常住人口（%(population)s）的 %(times)s 倍，"
                "不可信，已拒绝"
            )
            % {
                "reads": f"{reads:,}",
                "region": ceiling.name,
                "population": f"{ceiling.population:,}",
                "times": ABSURD_READS_PER_RESIDENT,
            }
        )


def record_report(channel, day, reads, item_id=None, item_url=None):
    """Store a channel's reads of one item on one day, replacing any earlier figure for the
    same (channel, item, date). Raises ReportRefused (logged) for a report that cannot be true."""
    try:
        page = content_item(item_id, item_url)
        check_report(channel, page, day, reads)
    except ReportRefused as refusal:
        logger.warning(
            "reach: report refused channel=%s item=%s date=%s reads=%s: %s",
            channel.pk,
            item_id if item_id is not None else item_url,
            day,
            reads,
            refusal.message,
        )
        raise
    with transaction.atomic():
        previous = (
            ReportedRead.objects.select_for_update()
            .filter(channel=channel, page=page, date=day)
            .values_list("reads", flat=True)
            .first()
        )
        report, created = ReportedRead.objects.update_or_create(
            channel=channel, page=page, date=day, defaults={"reads": reads}
        )
        mark_day_for_roll_up(day)
    return ReportOutcome(report=report, replaced=not created, previous_reads=previous)


def mark_day_for_roll_up(day):
    """A past day whose figures changed is rolled up again on the next run of the roll-up task."""
    RollUp.objects.update_or_create(date=day, defaults={"needs_rerun": True})
