"""Flags on pages whose cited law changed under them: a statute import changed the text of an
article a live page cites, removed it, or took its law out of force. Editors see the flags in the
admin (引用的法条已变更) and readers a notice on the page until an editor settles each one."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models.statutes import Statute


class CitationChangeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def notices_for(self, page):
        """The page's open flags, oldest first: what its readers are told."""
        return (
            self.open()
            .filter(page_id=page.pk)
            .select_related("statute")
            .order_by("detected_at", "pk")
        )


class CitationChange(models.Model):
    """One page × one cited article that an import changed. Open until an editor confirms that
    the page may keep citing it, or publishes a revision that cites the current text or no
    longer cites it; a later import that changes the article again updates the open flag."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("条文已修改")
        REMOVED = "removed", _("条文已删除")
        REPEALED = "repealed", _("法律已失效")

    class Resolution(models.TextChoices):
        CONFIRMED = "confirmed", _("编辑已核对，引用不变")
        UPDATED = "updated", _("页面已重新发布")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE, related_name="+"
    )
    statute = models.ForeignKey(Statute, verbose_name=_("法律法规"), on_delete=models.CASCADE)
    # The citation block's key (133, 133-1, item-3): the article may no longer exist.
    article_key = models.CharField(_("条号"), max_length=32)
    article_label = models.CharField(_("条文序号"), max_length=64)
    kind = models.CharField(_("变化"), max_length=16, choices=Kind.choices)
    old_text = models.TextField(_("原条文"), blank=True, help_text=_("导入前法律法规库中的条文"))
    new_text = models.TextField(_("新条文"), blank=True, help_text=_("导入后的条文；已删除则为空"))
    detected_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("处理结果"), max_length=16, choices=Resolution.choices, blank=True
    )

    objects = CitationChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("引用的法条已变更")
        verbose_name_plural = _("引用的法条已变更")
        ordering = ["-detected_at", "-pk"]
        # Flags are made by imports and settled, never added, edited or deleted by hand.
        default_permissions = ("view",)
        permissions = [("confirm_citationchange", _("可以确认引用的法条无需修改"))]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "statute", "article_key"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_citation_change",
            )
        ]
        indexes = [models.Index(fields=["page", "resolved_at"], name="citation_change_page")]

    def __str__(self):
        return f"{self.page.title} · 《{self.statute.name}》{self.article_label}"

    @property
    def is_open(self):
        return self.resolved_at is None

    def reader_url(self):
        """The article as the library has it now; the law where the article is gone."""
        if not self.new_text:
            return self.statute.get_absolute_url()
        return reverse("statute_article", args=[self.statute.law_id, self.article_key])
