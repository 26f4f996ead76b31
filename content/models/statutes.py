"""The statute library (法律法规库): laws and their articles, imported from a fixed corpus so
that articles quote the law exactly instead of from memory."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.citations import ArticleRef


class StatuteQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status__in=Statute.IN_FORCE_STATUSES)

    def in_force_first(self):
        """Laws in force before repealed and historical texts, then by name and newest version."""
        rank = models.Case(
            models.When(status__in=Statute.IN_FORCE_STATUSES, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        # pk last: pages of the list never overlap, whatever the database.
        return self.alias(in_force_rank=rank).order_by(
            "in_force_rank", "sort_name", "-version_date", "pk"
        )


class Statute(models.Model):
    class Status(models.TextChoices):
        IN_FORCE = "现行有效", _("现行有效")
        AMENDED = "已被修改", _("已被修改")
        REPEALED = "已废止", _("已废止")
        HISTORICAL = "历史版本", _("历史版本")

    # 已被修改 is the 刑法 itself: still in force, with its amendments as separate laws.
    IN_FORCE_STATUSES = (Status.IN_FORCE, Status.AMENDED)

    # Names are not unique (the 宪法 of 1982 and the current one): the source's id is the key.
    law_id = models.CharField(_("法规编号"), max_length=32, unique=True)
    name = models.CharField(_("法规名称"), max_length=255, db_index=True)
    short_name = models.CharField(
        _("简称"), max_length=255, blank=True, help_text=_("去掉“中华人民共和国”的名称")
    )
    # The name with numerals in brackets as zero-padded digits, so that 刑法修正案（三） sorts
    # before （十一）: see content.statutes.sort_name_of.
    sort_name = models.CharField(_("排序名称"), max_length=255, blank=True, db_index=True)
    doc_type = models.CharField(_("文件类型"), max_length=64, blank=True)
    level = models.CharField(_("效力级别"), max_length=64, db_index=True)
    issuing_body = models.CharField(_("制定机关"), max_length=255, blank=True)
    department = models.CharField(_("法律部门"), max_length=64, blank=True)
    publish_date = models.DateField(_("公布日期"), null=True, blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    version_date = models.DateField(_("版本日期"), null=True, blank=True)
    status = models.CharField(_("时效性"), max_length=16, choices=Status.choices, db_index=True)
    current_version = models.ForeignKey(
        "self",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="older_versions",
        help_text=_("已废止或历史版本对应的现行有效版本（如有）"),
    )

    objects = StatuteQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["sort_name", "-version_date"]

    def __str__(self):
        if self.is_in_force:
            return self.name
        return f"{self.name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("statute_detail", args=[self.law_id])

    @property
    def is_in_force(self):
        return self.status in self.IN_FORCE_STATUSES


class StatuteArticle(models.Model):
    """One entry of a law. Its identity within the law is its number, 第N条 or 第N条之K
    (number N, sub_number K), or, for entries without one (a law given as 全文, an amendment's
    条目N), the corpus's item number: see content.citations.ArticleRef."""

    statute = models.ForeignKey(
        Statute, verbose_name=_("法律法规"), on_delete=models.CASCADE, related_name="articles"
    )
    # Order within the law, as in the corpus.
    position = models.PositiveIntegerField(_("顺序"))
    number = models.PositiveIntegerField(
        _("条号"), null=True, blank=True, help_text=_("第N条中的N；没有条号的条目为空")
    )
    sub_number = models.PositiveSmallIntegerField(
        _("之几"), default=0, help_text=_("第N条之K中的K；普通条文为 0")
    )
    item = models.PositiveIntegerField(
        _("条目号"), null=True, blank=True, help_text=_("没有第N条的条目（全文、条目N）的序号")
    )
    label = models.CharField(_("条文序号"), max_length=64, help_text=_("如“第一千二百五十四条”"))
    part = models.CharField(_("编"), max_length=255, blank=True)
    subpart = models.CharField(_("分编"), max_length=255, blank=True)
    chapter = models.CharField(_("章"), max_length=255, blank=True)
    section = models.CharField(_("节"), max_length=255, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["statute", "position"]
        # Position is the order within a law, not its identity: a re-import that adds an article
        # shifts the positions after it (unique per law by construction of the importer).
        indexes = [models.Index(fields=["statute", "position"], name="article_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["statute", "number", "sub_number"],
                condition=models.Q(number__isnull=False),
                name="unique_article_number",
            ),
            models.UniqueConstraint(
                fields=["statute", "item"],
                condition=models.Q(item__isnull=False),
                name="unique_article_item",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=False, item__isnull=True)
                | models.Q(number__isnull=True, item__isnull=False, sub_number=0),
                name="article_number_or_item",
            ),
        ]

    def __str__(self):
        return f"{self.statute.name} {self.label}"

    def get_absolute_url(self):
        return reverse("statute_article", args=[self.statute.law_id, self.key])

    @property
    def ref(self):
        return ArticleRef(number=self.number, sub=self.sub_number, item=self.item)

    @property
    def key(self):
        """133, 133-1 or item-3: the article in URLs and the API."""
        return self.ref.key

    @property
    def path(self):
        """Its 编 / 分编 / 章 / 节 titles, from the top."""
        return [t for t in (self.part, self.subpart, self.chapter, self.section) if t]
