"""The figures a region map is drawn from, kept apart from the map builder so that code which
only speaks of figures (the dashboards, the coverage API) does not load Folium, pandas and
mapclassify at start-up."""

from dataclasses import dataclass
from numbers import Integral

from django.db import models
from django.utils.translation import gettext_lazy

# The figures a map can be drawn from. Their labels are the caller's (the app that counts them
# names them; the map builder only draws): ``build_map(labels=...)``.
MEASURES = ("delivered", "views", "visitors", "reported_reads")
# Figures that can be drawn per 10,000 residents.
RATE_MEASURES = ("views", "visitors", "reported_reads")


class DeliveryStatus(models.TextChoices):
    ALL_DELIVERED = "all_delivered", gettext_lazy("全部送达")
    SOME_FAILING = "some_failing", gettext_lazy("部分失败")
    NONE_DELIVERED = "none_delivered", gettext_lazy("均未送达")


@dataclass(frozen=True)
class RegionFigures:
    """What is known of one region. None means unknown, which is drawn as 无数据, never as 0."""

    delivered: int | None = None
    views: int | None = None
    visitors: int | None = None
    reported_reads: int | None = None
    delivery_status: str | None = None

    def __post_init__(self):
        for name in MEASURES:
            value = getattr(self, name)
            if value is not None and (not isinstance(value, Integral) or value < 0):
                raise ValueError(f"{name} must be a count ≥ 0 or None, not {value!r}")
        if self.delivery_status is not None and self.delivery_status not in DeliveryStatus:
            raise ValueError(f"unknown delivery_status {self.delivery_status!r}")
