"""The words of the figures, written once: the coverage API, the dashboard, the map, the Excel
export and the README all take their labels from here. What each word means, and when it is
unknown rather than zero, is explained in docs/figures.md.

- 送达 ``delivered``: distinct (channel, item) pairs delivered, each counted once, on the day of
  its first delivery (a resend or a correction does not count again);
- 送达渠道 ``delivered_channels``: distinct channels that received at least one item;
- 浏览量 ``views``: page loads of an article or video on the portal (bots and staff excluded),
  each load counted once whether the server rendered it or a cache served it;
- 访客 ``visitors``: daily unique visitors per item (a person opening an item five times in a
  day is one visitor of it that day);
- 上报阅读量 ``reported_reads``: reads the channels report for their own platforms.

The figures are never added to one another.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "delivered": _("送达"),
    "delivered_channels": _("送达渠道"),
    "views": _("浏览量"),
    "visitors": _("访客"),
    "reported_reads": _("上报阅读量"),
}
# The dashboard's headline of how far the content went: county-level units (县市区, and the
# province's directly administered cities) with at least one channel that had a first delivery in
# the period. Drawn from 送达, not a sixth figure.
COUNTIES_REACHED = _("送达县市区")
# Figures that can be put per 10,000 residents (where the census gives a population).
RATE_LABELS = {
    "views": _("每万人浏览量"),
    "visitors": _("每万人访客"),
    "reported_reads": _("每万人上报阅读量"),
}
# What the tables, the map and the export print for a figure nobody knows.
UNKNOWN = {
    "reported_reads": _("无上报"),
    "population": _("人口数据暂缺"),
    "rate": _("无人口数据"),
    "any": _("未知"),
}
DEMO_NOTICE = _("演示数据：本站数字由演示访问、演示分发和演示上报经真实统计流程产生，不是实际数据")
SEPARATE_NOTICE = _(
    "送达、浏览量、访客、上报阅读量分别统计，互不相加；每万人数字仅在有人口普查数据的地区给出。"
)


def label(measure):
    """The label of a measure or of its per-10,000 rate (``views_per_10k``)."""
    if measure.endswith("_per_10k"):
        return RATE_LABELS[measure.removesuffix("_per_10k")]
    return LABELS[measure]


def choices(measures):
    return [(measure, label(measure)) for measure in measures]


# The measures the dashboard and the public map can shade and rank by.
RANKED = (
    "reported_reads_per_10k",
    "views_per_10k",
    "visitors_per_10k",
    "reported_reads",
    "views",
    "visitors",
    "delivered",
    "delivered_channels",
)


def map_labels():
    """The labels the map builder (geodata) writes in its legend and tooltips."""
    return {
        **{key: str(value) for key, value in LABELS.items()},
        **{f"{key}_per_10k": str(value) for key, value in RATE_LABELS.items()},
    }
