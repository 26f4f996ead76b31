"""The work of distribution, as plain functions the views, commands, tasks and tests call:
deciding targets, creating a distribution, sending due webhooks with bounded concurrency,
recording each attempt through the delivery state machine, retrying, retracting, and marking
pull deliveries delivered when a channel fetches its feed."""

import json
import random
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from content.models import ArticlePage, VideoPage
from distribution.failures import Failure
from distribution.models import Channel, Delivery, DeliveryAttempt, Distribution
from distribution.payload import channel_payload, item_payload
from distribution.webhooks import send_webhook
from geodata.models import Region

State = Delivery.State
SENDABLE_STATES = [State.PENDING, State.FAILED_RETRYING, State.SENDING]


class DistributionError(Exception):
    """Something the editor can fix; the message is shown to them as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- who may distribute, and to whom ------------------------------------------------------


def can_distribute(user, page):
    """Editors who may edit the page may distribute it; officials and reviewers may not."""
    return (
        user.is_active
        and user.has_perm("distribution.add_distribution")
        and page.permissions_for_user(user).can_edit()
    )


def target_channels(regions=(), channels=(), everywhere=False):
    """Channels reachable for the chosen targets; a prefecture includes its counties."""
    reachable = Channel.objects.reachable()
    if everywhere:
        return reachable
    query = Q(pk__in=[c.pk for c in channels])
    for region in regions:
        query |= Q(region__in=Region.objects.within(region))
    return reachable.filter(query)


def reach_preview(page, regions=(), channels=(), everywhere=False, resend=False):
    """How many channels a selection reaches now, how many of them already have the page (and
    would be skipped), and how many would be sent to: the figure shown before the click."""
    candidates = target_channels(regions, channels, everywhere)
    total = candidates.count()
    already = 0
    if not resend:
        already = (
            Delivery.objects.active_for_page(page.pk)
            .filter(channel__in=candidates)
            .values("channel")
            .distinct()
            .count()
        )
    return {"channels": total, "already": already, "to_send": total - already}


def describe_targets(regions=(), channels=(), everywhere=False):
    if everywhere:
        return {"all": True}
    return {
        "regions": sorted(r.pk for r in regions),
        "region_names": [r.name for r in sorted(regions, key=lambda r: r.pk)],
        "channels": sorted(c.pk for c in channels),
    }


# --- creating a distribution --------------------------------------------------------------


def check_distributable(page, regions=(), channels=(), everywhere=False, live=True):
    """What can be refused at the click, whenever the sending happens (``live``: the page must
    be live now); returns the channels the targets reach now."""
    if not isinstance(page, ArticlePage | VideoPage):
        raise DistributionError(_("只能分发普法文章或普法短视频"))
    if live and not page.live:
        raise DistributionError(_("《%(title)s》尚未发布，不能分发") % {"title": page.title})
    if not (everywhere or regions or channels):
        raise DistributionError(_("请至少选择一个地区或渠道"))
    candidates = list(target_channels(regions, channels, everywhere))
    if not candidates:
        raise DistributionError(_("所选范围内没有可用的渠道（渠道可能已停用或暂停）"))
    return candidates


def distribute(page, user=None, *, regions=(), channels=(), everywhere=False, resend=False):
    """Create a distribution of a live article or video and queue its sending; the sending
    itself happens in the task worker. Raises DistributionError with a Chinese message."""
    page = page.specific
    candidates = check_distributable(page, regions, channels, everywhere)
    with transaction.atomic():
        distribution = Distribution(
            page=page,
            page_title=page.title,
            created_by=user,
            targets=describe_targets(regions, channels, everywhere),
            resend=resend,
        )
        skipped = send_out(distribution, page, candidates)
        if skipped is None:
            raise DistributionError(
                _(
                    "所选的 %(count)s 个渠道都已收到或正在接收这篇内容；"
                    "如需再次发送，请选择“重新发送”"
                )
                % {"count": len(candidates)}
            )
    return distribution


def send_out(distribution, page, candidates):
    """Save the distribution as sent now, with one delivery per candidate channel that does not
    already have the page (unless it is a resend), log it and queue the sending. Returns how
    many channels were skipped, or None (and saves nothing) when none is left to send to.
    Runs inside the caller's transaction."""
    skipped = set()
    if not distribution.resend:
        skipped = set(
            Delivery.objects.active_for_page(page.pk)
            .filter(channel__in=candidates)
            .values_list("channel_id", flat=True)
        )
    to_send = [c for c in candidates if c.pk not in skipped]
    if not to_send:
        return None
    distribution.status = Distribution.Status.SENT
    distribution.sent_at = timezone.now()
    distribution.page_title = page.title
    distribution.revision = page.live_revision
    distribution.skipped_count = len(skipped)
    distribution.payload = item_payload(page)
    distribution.save()
    create_deliveries(distribution, to_send)
    log(
        instance=page,
        action="distribution.distribute",
        user=distribution.created_by,
        data={
            "distribution_id": distribution.pk,
            "channels": len(to_send),
            "skipped": len(skipped),
            "targets": distribution.targets,
            "resend": distribution.resend,
        },
    )
    # Queued in the same transaction as the deliveries: both exist, or neither does.
    schedule_sending(distribution)
    return len(skipped)


def create_deliveries(distribution, channels):
    now = timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(distribution=distribution, channel=c, next_attempt_at=now) for c in channels]
    )


def schedule_sending(distribution, run_after=None):
    from distribution.tasks import send_deliveries

    task = send_deliveries
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(distribution.pk)


def retract(page, user=None, page_is_deleted=False):
    """The page was unpublished (or a live page deleted): stop what is still under way, and
    tell every channel that received it to take it down (webhook: a retraction event; pull: it
    leaves the feed). A deleted page is named in the record by its title and id only."""
    now = timezone.now()
    active = Delivery.objects.active_for_page(page.pk).select_related("channel")
    received = [d.channel for d in active if d.state == State.DELIVERED]
    with transaction.atomic():
        active.exclude(state=State.DELIVERED).update(
            state=State.DEAD,
            last_error=_("内容已撤下，取消送达"),
            last_error_code=Failure.RETRACTED,
            lease_expires_at=None,
            retracted_at=now,
            updated_at=now,
        )
        active.filter(state=State.DELIVERED).update(retracted_at=now, updated_at=now)
        Delivery.objects.filter(
            distribution__page_id=page.pk,
            distribution__kind=Distribution.Kind.UPDATE,
            retracted_at__isnull=True,
        ).exclude(state__in=[State.DELIVERED, State.DEAD]).update(
            state=State.DEAD,
            last_error=_("内容已撤下，取消送达"),
            lease_expires_at=None,
            retracted_at=now,
            updated_at=now,
        )
        if not received:
            return None
        distribution = Distribution.objects.create(
            page=None if page_is_deleted else page,
            page_title=page.title,
            kind=Distribution.Kind.RETRACT,
            created_by=user,
            sent_at=now,
            targets={"channels": sorted({c.pk for c in received})},
            payload={"id": page.pk, "title": page.title},
        )
        create_deliveries(distribution, {c.pk: c for c in received}.values())
        log(
            instance=page,
            action="distribution.retract",
            user=user,
            data={"distribution_id": distribution.pk, "channels": len(received)},
        )
        schedule_sending(distribution)
    return distribution


def send_corrections(page, user=None):
    """The item changed: every channel that has it (or is being sent it) in another version
    than the portal publishes now gets the new version, as a distribution of its own
    (``item.updated`` by webhook, the same feed entry with a new updated time for pull
    channels), recorded as deliveries like any other. The item changes when it is republished,
    and also under a published page: an import that changes the text of an article it quotes,
    or the address of the article it links to. Returns the distribution, or None when no
    channel is behind."""
    page = page.specific
    if not Delivery.objects.active_for_page(page.pk).exists():
        return None  # nobody has it: nothing to render
    payload = item_payload(page)
    channels = {channel.pk: channel for channel in channels_behind(page, payload)}
    if not channels:
        return None
    with transaction.atomic():
        distribution = Distribution.objects.create(
            page=page,
            page_title=page.title,
            revision=page.live_revision,
            kind=Distribution.Kind.UPDATE,
            created_by=user,
            targets={"channels": sorted(channels)},
            payload=payload,
            sent_at=timezone.now(),
        )
        create_deliveries(distribution, channels.values())
        log(
            instance=page,
            action="distribution.update",
            user=user,
            data={"distribution_id": distribution.pk, "channels": len(channels)},
        )
        schedule_sending(distribution)
    return distribution


def channels_behind(page, payload):
    """The active channels that have the item (or are being sent it) and whose latest version
    of it, the last one not given up on, is not ``payload``. A distribution made on this very
    publication already carries it."""
    having = Delivery.objects.active_for_page(page.pk).values("channel_id")
    latest = {}
    for delivery in (
        Delivery.objects.filter(
            channel_id__in=having,
            distribution__page_id=page.pk,
            distribution__kind__in=FEED_KINDS,
            retracted_at__isnull=True,
        )
        .exclude(state=State.DEAD)
        .select_related("channel", "distribution")
        .order_by("created_at", "pk")
    ):
        latest[delivery.channel_id] = delivery
    # Compared as stored: a JSON round trip, as the payload saved would be read back.
    current = json.loads(json.dumps(payload))
    return [
        delivery.channel
        for delivery in latest.values()
        if delivery.channel.active and delivery.distribution.payload != current
    ]


def retryable(deliveries):
    """The failed deliveries that can be sent again: webhook channels that are active and not
    paused, content not retracted."""
    return deliveries.failed().filter(
        channel__delivery_mode=Channel.Mode.WEBHOOK,
        channel__active=True,
        channel__paused=False,
        retracted_at__isnull=True,
    )


def requeue(distribution, deliveries, user=None):
    """Put failed deliveries back in the queue now, with a fresh count of attempts (their
    webhook-id stays, so a receiver that did get an earlier try de-duplicates); returns how
    many."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(retryable(deliveries).values_list("pk", flat=True))
        count = Delivery.objects.filter(pk__in=ids).update(
            state=State.PENDING,
            attempt_count=0,
            next_attempt_at=now,
            lease_expires_at=None,
            updated_at=now,
        )
        if count:
            if distribution.page_id:
                log(
                    instance=distribution.page,
                    action="distribution.retry",
                    user=user,
                    data={"distribution_id": distribution.pk, "deliveries": count, "ids": ids},
                )
            schedule_sending(distribution)
    return count


def retry_failed(distribution, user=None):
    """Send again only the failed deliveries whose channel can take them; returns how many."""
    return requeue(distribution, distribution.deliveries.all(), user)


def retry_delivery(delivery, user=None):
    """Send one failed delivery again (its channel fixed its receiver); True if re-queued."""
    deliveries = Delivery.objects.filter(pk=delivery.pk)
    return requeue(delivery.distribution, deliveries, user) == 1


# --- sending ------------------------------------------------------------------------------


def backoff_delay(attempt):
    """Exponential backoff with a ceiling and jitter (half fixed, half random), in seconds,
    so that channels failing together do not all come back at the same instant."""
    ceiling = min(
        settings.DISTRIBUTION_RETRY_CEILING,
        settings.DISTRIBUTION_RETRY_BASE * 2 ** max(0, attempt - 1),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - not for security


def lease_duration():
    margin = 30
    return timedelta(
        seconds=settings.DISTRIBUTION_CONNECT_TIMEOUT
        + settings.DISTRIBUTION_REQUEST_TIMEOUT
        + margin
    )


def due_webhook_deliveries(now, distribution_id=None):
    """Webhook deliveries to send now: pending or retrying and due, or stuck in sending after
    their sender died (its lease ran out)."""
    queryset = Delivery.objects.filter(
        channel__delivery_mode=Channel.Mode.WEBHOOK,
        channel__active=True,
        channel__paused=False,
    ).filter(
        Q(state__in=[State.PENDING, State.FAILED_RETRYING], next_attempt_at__lte=now)
        | Q(state=State.SENDING, lease_expires_at__lt=now)
    )
    if distribution_id is not None:
        queryset = queryset.filter(distribution_id=distribution_id)
    return queryset


def claim_due(now, distribution_id=None, limit=1000):
    """Take the due deliveries for sending, in one short transaction; returns their ids.

    The update re-checks that each row is still due, so a row another worker claimed in the
    meantime is skipped; ours are the ones carrying our exact lease time."""
    lease_until = now + lease_duration()
    with transaction.atomic():
        ids = list(
            due_webhook_deliveries(now, distribution_id)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        due_webhook_deliveries(now).filter(pk__in=ids).update(
            state=State.SENDING,
            attempt_count=F("attempt_count") + 1,
            lease_expires_at=lease_until,
            updated_at=now,
        )
    return list(
        Delivery.objects.filter(
            pk__in=ids, state=State.SENDING, lease_expires_at=lease_until
        ).values_list("pk", flat=True)
    )


def send_due(distribution_id=None, limit=1000, client=None):
    """Send every due webhook delivery (of one distribution, or all), at most
    DISTRIBUTION_CONCURRENCY at once, recording each result as it comes in. Returns how many
    were attempted; schedules the next retry round when some failed.

    Threads only wait on HTTP; every database read and write stays in this thread."""
    claimed = claim_due(timezone.now(), distribution_id, limit)
    if not claimed:
        return 0
    deliveries = Delivery.objects.filter(pk__in=claimed).select_related("channel", "distribution")
    with ThreadPoolExecutor(max_workers=settings.DISTRIBUTION_CONCURRENCY) as pool:
        futures = {
            pool.submit(send_webhook, d.channel, d.webhook_id, channel_payload(d), client): d
            for d in deliveries
        }
        for future in as_completed(futures):
            record_attempt(futures[future], future.result())
    schedule_next_round(distribution_id)
    return len(claimed)


def attempt_delivery(delivery):
    """Send one delivery now and record the outcome (used by tests and the command line)."""
    result = send_webhook(delivery.channel, delivery.webhook_id, channel_payload(delivery))
    record_attempt(delivery, result)
    return result


def record_attempt(delivery, result):
    """Apply one webhook attempt to the state machine:
    sending → delivered | failed_retrying | dead."""
    now = timezone.now()
    started = result.started_at
    channel = delivery.channel
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            kind=DeliveryAttempt.Kind.WEBHOOK,
            started_at=started,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            error=result.error[:500],
            error_code=result.error_code,
            succeeded=result.succeeded,
        )
        fields = {
            "last_status_code": result.status_code,
            "last_error": result.error[:500],
            "last_error_code": result.error_code,
            "lease_expires_at": None,
            "updated_at": now,
        }
        if result.succeeded:
            fields.update(state=State.DELIVERED, delivered_at=now, next_attempt_at=None)
            Channel.objects.filter(pk=channel.pk, failing_since__isnull=False).update(
                failing_since=None
            )
        elif result.permanent:
            fields.update(state=State.DEAD, next_attempt_at=None)
        else:
            Channel.objects.filter(pk=channel.pk, failing_since__isnull=True).update(
                failing_since=started
            )
            channel.refresh_from_db(fields=["failing_since", "paused"])
            if channel.failing_since and now - channel.failing_since >= (
                settings.DISTRIBUTION_PAUSE_AFTER
            ):
                fields.update(state=State.DEAD, next_attempt_at=None)
                pause_failing_channel(channel, result.error)
            elif delivery.attempt_count >= settings.DISTRIBUTION_MAX_ATTEMPTS:
                fields.update(state=State.DEAD, next_attempt_at=None)
            else:
                fields.update(
                    state=State.FAILED_RETRYING,
                    next_attempt_at=now + timedelta(seconds=backoff_delay(delivery.attempt_count)),
                )
        # Only the holder of the lease writes the outcome (a recovered copy may have won).
        Delivery.objects.filter(pk=delivery.pk, state=State.SENDING).update(**fields)


def pause_failing_channel(channel, last_error):
    """A channel failing for longer than DISTRIBUTION_PAUSE_AFTER is paused and flagged; its
    queued retries stop until an administrator resumes it."""
    reason = _("自 %(since)s 起持续送达失败，已自动暂停。最近错误：%(error)s") % {
        "since": timezone.localtime(channel.failing_since).strftime("%Y-%m-%d %H:%M"),
        "error": last_error,
    }
    if not channel.paused:
        channel.pause(reason)
        log(instance=channel, action="distribution.channel_paused", data={"reason": reason})
    channel.deliveries.filter(state=State.FAILED_RETRYING).update(
        state=State.DEAD,
        next_attempt_at=None,
        last_error=_("渠道已暂停：%(reason)s") % {"reason": reason[:200]},
        last_error_code=Failure.CHANNEL_PAUSED,
        updated_at=timezone.now(),
    )


def schedule_next_round(distribution_id):
    """Queue the next retry round for when the earliest retry falls due."""
    retrying = Delivery.objects.filter(state=State.FAILED_RETRYING)
    if distribution_id is not None:
        retrying = retrying.filter(distribution_id=distribution_id)
    for row in retrying.values("distribution_id").annotate(due=Min("next_attempt_at")):
        from distribution.tasks import send_deliveries

        send_deliveries.using(run_after=row["due"]).enqueue(row["distribution_id"])


def recover_stalled(grace=timedelta(seconds=60)):
    """Re-queue sending for deliveries nobody is working on: a worker killed mid-fan-out, or a
    queued retry lost. Sending again reuses each delivery's webhook-id (at least once)."""
    now = timezone.now()
    stalled = Delivery.objects.filter(
        channel__delivery_mode=Channel.Mode.WEBHOOK,
        channel__active=True,
        channel__paused=False,
    ).filter(
        Q(state__in=[State.PENDING, State.FAILED_RETRYING], next_attempt_at__lte=now - grace)
        | Q(state=State.SENDING, lease_expires_at__lt=now)
    )
    distribution_ids = sorted(set(stalled.values_list("distribution_id", flat=True)))
    for distribution_id in distribution_ids:
        from distribution.tasks import send_deliveries

        send_deliveries.enqueue(distribution_id)
    return distribution_ids


# --- pull channels ------------------------------------------------------------------------


FEED_KINDS = [Distribution.Kind.PUBLISH, Distribution.Kind.UPDATE]


def feed_deliveries(channel):
    """What the channel's feed lists: each item distributed to it and not retracted, in its
    latest version (a correction replaces the entry: same id, new updated time), newest first.
    Each listed delivery carries ``first_sent_at``, when the item first went to the channel."""
    deliveries = (
        channel.deliveries.filter(distribution__kind__in=FEED_KINDS, retracted_at__isnull=True)
        .exclude(state=State.DEAD)
        .select_related("distribution", "channel")
        .order_by("-created_at", "-pk")
    )
    latest, first_sent = {}, {}
    for delivery in deliveries.iterator():
        item_id = (delivery.distribution.payload or {}).get("id")
        latest.setdefault(item_id, delivery)
        first_sent[item_id] = delivery.created_at  # oldest last
    items = list(latest.values())[: settings.DISTRIBUTION_FEED_SIZE]
    for delivery in items:
        delivery.first_sent_at = first_sent[delivery.distribution.payload.get("id")]
    return items


def record_feed_fetch(channel, listed, status_code, latency_ms=None):
    """The channel fetched its feed: each pending item in it is now delivered, at the fetch
    time; so is each pending retraction (the item is gone from the feed)."""
    now = timezone.now()
    # Every version of a listed item counts as fetched: the original of a corrected item the
    # channel had not fetched yet too (it now has the item, in its latest version).
    listed_items = {(d.distribution.payload or {}).get("id") for d in listed}
    pending = [
        d
        for d in channel.deliveries.filter(
            distribution__kind__in=FEED_KINDS, retracted_at__isnull=True
        )
        .exclude(state__in=[State.DELIVERED, State.DEAD])
        .select_related("distribution")
        if (d.distribution.payload or {}).get("id") in listed_items
    ]
    retractions = list(
        channel.deliveries.filter(distribution__kind=Distribution.Kind.RETRACT, state=State.PENDING)
    )
    newly = pending + retractions
    if not newly:
        return 0
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            [
                DeliveryAttempt(
                    delivery=d,
                    kind=DeliveryAttempt.Kind.FEED_FETCH,
                    started_at=now,
                    status_code=status_code,
                    latency_ms=latency_ms,
                    succeeded=True,
                )
                for d in newly
            ]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in newly]).exclude(state=State.DELIVERED).update(
            state=State.DELIVERED,
            delivered_at=now,
            attempt_count=F("attempt_count") + 1,
            last_status_code=status_code,
            last_error="",
            last_error_code="",
            updated_at=now,
        )
    return len(newly)
