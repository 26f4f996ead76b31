"""What a channel may see of reach: its own deliveries and its own figures, nothing of any other
channel. Used by ``GET /api/reach/channel/`` and the channel operators' page."""

from django.db.models import Sum

from reach.models import DailyReach


def channel_report(channel, start, end):
    from distribution.models import Delivery, Distribution

    deliveries = (
        Delivery.objects.filter(channel=channel, distribution__kind=Distribution.Kind.PUBLISH)
        .select_related("distribution")
        .order_by("-created_at")[:200]
    )
    figures = (
        DailyReach.objects.filter(channel=channel, date__gte=start, date__lte=end)
        .values("page_id", "page__title")
        .annotate(
            delivered=Sum("delivered"),
            views=Sum("views"),
            visitors=Sum("visitors"),
            reads=Sum("reported_reads"),
            reports=Sum("reports"),
        )
        .order_by("-views", "page_id")
    )
    return {
        "channel": channel.name,
        "code": channel.code,
        "region": channel.region.name,
        "start": start,
        "end": end,
        "deliveries": [
            {
                "item_id": d.distribution.page_id,
                "title": d.distribution.page_title,
                "state": d.state,
                "state_label": d.get_state_display(),
                "delivered_at": d.delivered_at,
            }
            for d in deliveries
        ],
        "items": [
            {
                "item_id": row["page_id"],
                "title": row["page__title"],
                "delivered": row["delivered"] or 0,
                "views": row["views"] or 0,
                "visitors": row["visitors"] or 0,
                "reported_reads": row["reads"] if row["reports"] else None,
            }
            for row in figures
        ],
    }
