"""The live status of one distribution, as the status page and its JSON endpoint show it:
counts per state, per prefecture-level unit with its counties, and the failing channels."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from distribution.failures import explain
from distribution.models import Delivery, Distribution
from distribution.services import retryable
from geodata.models import Region

STATES = [state for state, _label in Delivery.State.choices]


def empty_counts():
    return dict.fromkeys(STATES, 0)


def prefecture_of(region_id, level, parent_id):
    """The prefecture-level unit a channel's region belongs to (itself at that level)."""
    if level == Region.Level.COUNTY and parent_id:
        return parent_id
    return region_id


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def status_line(distribution):
    """Where the distribution stands, in one sentence: scheduled, sent, cancelled, not sent."""
    status = distribution.status
    if status == Distribution.Status.SCHEDULED and distribution.on_publish:
        return _("待发布：《%(title)s》发布后自动分发") % {"title": distribution.page_title}
    if status == Distribution.Status.SCHEDULED:
        return _("定时分发：%(when)s（尚未发出）") % {"when": local(distribution.send_at)[:16]}
    if status == Distribution.Status.SENT:
        return _("已于 %(when)s 发出") % {"when": local(distribution.sent_at)}
    return f"{distribution.get_status_display()}：{distribution.note}"


def failing_row(delivery, retry_ids):
    explanation = explain(delivery.last_error_code, delivery.last_status_code)
    return {
        "delivery_id": delivery.pk,
        "url": reverse("distribution_delivery", args=[delivery.pk]),
        "retry_url": reverse("distribution_delivery_retry", args=[delivery.pk]),
        "can_retry": delivery.pk in retry_ids,
        "channel": delivery.channel.name,
        "channel_id": delivery.channel_id,
        "region": delivery.channel.region.name,
        "state": delivery.state,
        "state_display": delivery.get_state_display(),
        "attempts": delivery.attempt_count,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "failure": explanation.title,
        "advice": explanation.advice,
        "next_attempt_at": (
            delivery.next_attempt_at.isoformat() if delivery.next_attempt_at else None
        ),
        "channel_paused": delivery.channel.paused,
    }


def distribution_status(distribution):
    rows = list(
        distribution.deliveries.values_list(
            "state",
            "channel__region_id",
            "channel__region__level",
            "channel__region__parent_id",
        )
    )
    names = dict(Region.objects.values_list("adcode", "name"))
    counts = Counter(state for state, *_rest in rows)
    prefectures = {}
    for state, region_id, level, parent_id in rows:
        prefecture_id = prefecture_of(region_id, level, parent_id)
        entry = prefectures.setdefault(
            prefecture_id,
            {
                "adcode": prefecture_id,
                "name": names.get(prefecture_id, str(prefecture_id)),
                "counts": empty_counts(),
                "counties": {},
            },
        )
        entry["counts"][state] += 1
        if region_id != prefecture_id:
            county = entry["counties"].setdefault(
                region_id,
                {"adcode": region_id, "name": names.get(region_id), "counts": empty_counts()},
            )
            county["counts"][state] += 1
    failing = list(
        distribution.deliveries.failed()
        .select_related("channel__region")
        .order_by("state", "channel__region_id")[:200]
    )
    retry_ids = set(
        retryable(Delivery.objects.filter(pk__in=[d.pk for d in failing])).values_list(
            "pk", flat=True
        )
    )
    in_flight = counts[Delivery.State.SENDING] + counts[Delivery.State.FAILED_RETRYING]
    pending_push = distribution.deliveries.filter(
        state=Delivery.State.PENDING, channel__delivery_mode="webhook"
    ).count()
    return {
        "id": distribution.pk,
        "title": distribution.page_title,
        "kind": distribution.kind,
        "kind_display": distribution.get_kind_display(),
        "created_at": distribution.created_at.isoformat(),
        "status": distribution.status,
        "status_display": distribution.get_status_display(),
        "status_line": status_line(distribution),
        "send_at": distribution.send_at.isoformat() if distribution.send_at else None,
        "sent_at": distribution.sent_at.isoformat() if distribution.sent_at else None,
        "created_by": str(distribution.created_by) if distribution.created_by else None,
        "total": len(rows),
        "skipped": distribution.skipped_count,
        "counts": {state: counts.get(state, 0) for state in STATES},
        # Webhooks have all finished (delivered or given up); pull channels may still fetch.
        "sending_finished": (
            distribution.status == Distribution.Status.SENT and in_flight == 0 and pending_push == 0
        ),
        "prefectures": [
            {**p, "counties": sorted(p["counties"].values(), key=lambda c: c["adcode"])}
            for p in sorted(prefectures.values(), key=lambda p: p["adcode"])
        ],
        "failing": [failing_row(d, retry_ids) for d in failing],
        "as_of": timezone.now().isoformat(),
    }
