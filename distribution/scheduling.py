"""Distributing later: at a chosen time, or when the page goes live (approved in the review
workflow, or published by Wagtail's scheduled publishing).

A scheduled distribution is saved at the click with its targets and no deliveries. At its time
the task worker (a task queued with ``run_after``) or, on publication, Wagtail's
``page_published`` signal starts it: the targets are resolved then, against the channels and the
page as they are at that moment, and the distribution is sent as a click would send it. The
clock's recovery sweep starts any whose task was lost."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from distribution.models import Channel, Distribution
from distribution.services import (
    DistributionError,
    check_distributable,
    describe_targets,
    send_out,
    target_channels,
)
from geodata.models import Region

Status = Distribution.Status


def schedule(
    page,
    user=None,
    *,
    regions=(),
    channels=(),
    everywhere=False,
    resend=False,
    send_at=None,
    on_publish=False,
):
    """Save a distribution to send at ``send_at`` or when the page is next published.

    Refused at once (DistributionError) for what would fail anyway: a time in the past, waiting
    for the publication of a page that is live with nothing scheduled, targets with no channel.
    """
    page = page.specific
    check_distributable(page, regions, channels, everywhere, live=False)
    if on_publish == (send_at is not None):
        raise DistributionError(_("请选择定时分发的时间，或选择发布后分发"))
    if send_at is not None and send_at <= timezone.now():
        raise DistributionError(_("定时分发的时间已过，请选择将来的时间"))
    if on_publish and page.live and not page.scheduled_revision:
        raise DistributionError(
            _("《%(title)s》已经发布，没有待发布的版本：请选择立即分发或定时分发")
            % {"title": page.title}
        )
    with transaction.atomic():
        distribution = Distribution.objects.create(
            page=page,
            page_title=page.title,
            created_by=user,
            status=Status.SCHEDULED,
            send_at=send_at,
            on_publish=on_publish,
            targets=describe_targets(regions, channels, everywhere),
            resend=resend,
        )
        log(
            instance=page,
            action="distribution.schedule",
            user=user,
            data={
                "distribution_id": distribution.pk,
                "send_at": send_at.isoformat() if send_at else None,
                "on_publish": on_publish,
                "targets": distribution.targets,
            },
        )
        if send_at is not None:
            queue_start(distribution, run_after=send_at)
    return distribution


def queue_start(distribution, run_after=None):
    from distribution.tasks import start_scheduled

    task = start_scheduled
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(distribution.pk)


def stored_targets(targets):
    """The regions and channels a distribution's recorded targets name, as they are now."""
    if targets.get("all"):
        return [], [], True
    regions = list(Region.objects.filter(pk__in=targets.get("regions", [])))
    channels = list(Channel.objects.filter(pk__in=targets.get("channels", [])))
    return regions, channels, False


def start(distribution_id):
    """Send a scheduled distribution now (its time has come, or its page went live). Safe to
    call twice or from two workers: only the first finds it still scheduled. Returns the
    distribution's new status, or None when there was nothing to do."""
    with transaction.atomic():
        distribution = (
            Distribution.objects.select_for_update()
            .filter(pk=distribution_id, status=Status.SCHEDULED)
            .first()
        )
        if distribution is None:
            return None
        if distribution.send_at and distribution.send_at > timezone.now():
            return None
        page = distribution.page.specific if distribution.page_id else None
        if page is None or not page.live:
            return not_sent(distribution, _("到分发时间时内容未处于发布状态，未发出"))
        regions, channels, everywhere = stored_targets(distribution.targets)
        candidates = list(target_channels(regions, channels, everywhere))
        if not candidates:
            return not_sent(distribution, _("到分发时间时所选范围内没有可用的渠道，未发出"))
        if send_out(distribution, page, candidates) is None:
            return not_sent(
                distribution,
                _("所选渠道都已收到这篇内容，未重复发送（如需再次发送请选择“重新发送”）"),
            )
    return distribution.status


def not_sent(distribution, reason):
    distribution.status = Status.NOT_SENT
    distribution.note = reason
    distribution.save(update_fields=["status", "note"])
    if distribution.page_id:
        log(
            instance=distribution.page,
            action="distribution.not_sent",
            data={"distribution_id": distribution.pk, "reason": reason},
        )
    return distribution.status


def cancel(distribution, user=None):
    """Cancel a distribution that has not gone out yet; False if it already has."""
    cancelled = Distribution.objects.filter(pk=distribution.pk, status=Status.SCHEDULED).update(
        status=Status.CANCELLED, note=_("由 %(user)s 取消") % {"user": user or _("系统")}
    )
    if cancelled and distribution.page_id:
        log(
            instance=distribution.page,
            action="distribution.cancel",
            user=user,
            data={"distribution_id": distribution.pk},
        )
    distribution.refresh_from_db()
    return bool(cancelled)


def waiting_for_publication(page):
    return Distribution.objects.filter(page=page, status=Status.SCHEDULED, on_publish=True)


def page_published(page):
    """The page went live: queue the start of every distribution waiting for it (the request or
    the scheduled-publishing task that published it does no sending itself)."""
    for distribution in waiting_for_publication(page):
        queue_start(distribution)


def start_overdue(grace=timedelta(seconds=60)):
    """Queue the start of scheduled distributions whose moment passed without them starting (a
    lost task, or a publication whose signal was missed); returns their ids."""
    now = timezone.now()
    scheduled = Distribution.objects.filter(status=Status.SCHEDULED)
    overdue = list(
        scheduled.filter(on_publish=False, send_at__lte=now - grace).values_list("pk", flat=True)
    )
    for distribution in scheduled.filter(on_publish=True, page__live=True).select_related("page"):
        published = distribution.page.last_published_at
        if published and distribution.created_at < published <= now - grace:
            overdue.append(distribution.pk)
    for pk in overdue:
        queue_start(Distribution(pk=pk))
    return overdue
