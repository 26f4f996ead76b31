"""Hubei's administrative regions: the ground that every other app stands on.

The tree is province → prefecture-level unit → county-level division, keyed by the GB/T 2260
administrative division code (adcode).

仙桃 429004, 潜江 429005, 天门 429006 and 神农架林区 429021 are county-level units directly under
the province (省直辖县级行政单位). The boundary data draws them among the 17 prefecture-level
units *and* among the 103 county-level divisions, so each is one region with
``level=prefecture``, ``parent`` = the province and ``is_directly_administered=True``; on the
county map it stands for itself. ``Region.objects.prefecture_level()`` (17) and
``Region.objects.county_level()`` (103) give the two map layers.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def per_10k(count, population):
    """A count per 10,000 residents, or None when the count or the population is unknown: the
    one place that turns a figure into a rate, so no rate is ever made from a guessed population.
    """
    if count is None or not population:
        return None
    return count * 10_000 / population


class RegionQuerySet(models.QuerySet):
    def prefecture_level(self):
        """The 17 units of the province map (the 4 directly administered ones included)."""
        return self.filter(level=Region.Level.PREFECTURE)

    def county_level(self):
        """The 103 units of the county map (the 4 directly administered ones included)."""
        return self.filter(Q(level=Region.Level.COUNTY) | Q(is_directly_administered=True))

    def within(self, region):
        """The region itself and every region below it."""
        if region.level == Region.Level.PROVINCE:
            return self.all()
        return self.filter(Q(pk=region.pk) | Q(parent=region))


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    adcode = models.PositiveIntegerField(
        _("行政区划代码"),
        primary_key=True,
        validators=[MinValueValidator(100000), MaxValueValidator(999999)],
        help_text=_("GB/T 2260 六位行政区划代码"),
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级行政区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_directly_administered = models.BooleanField(
        _("省直辖县级单位"),
        default=False,
        help_text=_("仙桃、潜江、天门、神农架林区：在地级地图和县级地图上都显示为同一区域"),
    )
    population = models.PositiveBigIntegerField(
        _("常住人口"),
        null=True,
        blank=True,
        help_text=_("仅在有可靠来源时填写；未知则留空，绝不以零代替"),
    )
    population_source = models.CharField(
        _("人口数据来源"),
        max_length=200,
        blank=True,
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["adcode"]
        verbose_name = _("行政区")
        verbose_name_plural = _("行政区")
        constraints = [
            models.CheckConstraint(
                condition=Q(population__isnull=True) | ~Q(population_source=""),
                name="geodata_region_population_has_source",
            ),
        ]

    def __str__(self):
        return self.name

    def per_10k(self, count):
        return per_10k(count, self.population)

    @property
    def prefecture(self):
        """The prefecture-level unit this region belongs to (itself at that level); None for the
        province."""
        if self.level == self.Level.PREFECTURE:
            return self
        if self.level == self.Level.COUNTY:
            return self.parent
        return None
