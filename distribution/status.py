"""The live status of one distribution, as the status page and its JSON endpoint show it:
counts per state, per prefecture-level unit with its counties, and the failing channels."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone

from distribution.models import Delivery
from geodata.models import Region

STATES = [state for state, _label in Delivery.State.choices]


def empty_counts():
    return dict.fromkeys(STATES, 0)


def prefecture_of(region_id, level, parent_id):
    """The prefecture-level unit a channel's region belongs to (itself at that level)."""
    if level == Region.Level.COUNTY and parent_id:
        return parent_id
    return region_id


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
    failing = (
        distribution.deliveries.failed()
        .select_related("channel__region")
        .order_by("state", "channel__region_id")
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
        "created_by": str(distribution.created_by) if distribution.created_by else None,
        "total": len(rows),
        "skipped": distribution.skipped_count,
        "counts": {state: counts.get(state, 0) for state in STATES},
        # Webhooks have all finished (delivered or given up); pull channels may still fetch.
        "sending_finished": in_flight == 0 and pending_push == 0,
        "prefectures": [
            {**p, "counties": sorted(p["counties"].values(), key=lambda c: c["adcode"])}
            for p in sorted(prefectures.values(), key=lambda p: p["adcode"])
        ],
        "failing": [
            {
                "delivery_id": d.pk,
                "url": reverse("distribution_delivery", args=[d.pk]),
                "channel": d.channel.name,
                "channel_id": d.channel_id,
                "region": d.channel.region.name,
                "state": d.state,
                "state_display": d.get_state_display(),
                "attempts": d.attempt_count,
                "last_status_code": d.last_status_code,
                "last_error": d.last_error,
                "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
                "channel_paused": d.channel.paused,
            }
            for d in failing[:200]
        ],
        "as_of": timezone.now().isoformat(),
    }
