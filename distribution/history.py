"""A channel's history: what it received, when, in what state, and the figures later apps know
about each item (reach adds the reads the channel reported, through the
``distribution_channel_figures`` hook, so distribution imports nothing of reach)."""

from dataclasses import dataclass, field

from wagtail import hooks

from distribution.failures import explain
from distribution.models import Delivery
from distribution.services import retryable

HISTORY_LENGTH = 100
FIGURES_HOOK = "distribution_channel_figures"


@dataclass
class HistoryRow:
    delivery: Delivery
    failure: object = None
    can_retry: bool = False
    figures: list = field(default_factory=list)


def channel_figures(channel, page_ids):
    """``[(label, {page_id: value or None})]`` from every app that registered the hook; None is
    unknown (shown as such, never as zero)."""
    return [fn(channel, page_ids) for fn in hooks.get_hooks(FIGURES_HOOK)]


def channel_history(channel, limit=HISTORY_LENGTH):
    """The channel's latest deliveries, newest first, each with its failure explained, whether
    it can be retried, and the figures of its item; returns (figure labels, rows)."""
    deliveries = list(
        channel.deliveries.select_related("distribution").order_by("-created_at", "-pk")[:limit]
    )
    page_ids = {d.distribution.page_id for d in deliveries if d.distribution.page_id}
    figures = channel_figures(channel, page_ids)
    retry_ids = set(
        retryable(Delivery.objects.filter(pk__in=[d.pk for d in deliveries])).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for delivery in deliveries:
        failed = delivery.state in (Delivery.State.FAILED_RETRYING, Delivery.State.DEAD)
        rows.append(
            HistoryRow(
                delivery=delivery,
                failure=(
                    explain(delivery.last_error_code, delivery.last_status_code) if failed else None
                ),
                can_retry=delivery.pk in retry_ids,
                figures=[values.get(delivery.distribution.page_id) for _label, values in figures],
            )
        )
    return [label for label, _values in figures], rows
