"""The outbox of index changes: every publish, unpublish, move or delete is written here in the
editor's transaction, and the task worker applies it to the engine. A change is marked applied
only after the engine took it, so an engine that is down loses nothing: the rows wait and are
replayed (by the next change or the periodic task) when it is back."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Applied rows are kept this long: a rebuild replays those applied while it was running.
APPLIED_RETENTION = timezone.timedelta(days=1)


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(applied_at__isnull=True)

    def record(self, keys, reason):
        """One row per document: a newer change of the same document replaces the older (in
        bulk, as a statute import may change thousands of articles at once)."""
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            self.filter(key__in=chunk).delete()
            self.bulk_create([PendingChange(key=key, reason=reason) for key in chunk])


class PendingChange(models.Model):
    class Reason(models.TextChoices):
        PUBLISH = "publish", _("发布")
        UNPUBLISH = "unpublish", _("取消发布")
        MOVE = "move", _("移动")
        DELETE = "delete", _("删除")
        VERIFY = "verify", _("校验修复")
        STATUTE = "statute", _("法规更新")

    key = models.CharField(_("文档"), max_length=200, unique=True)
    reason = models.CharField(_("原因"), max_length=16, choices=Reason.choices)
    updated_at = models.DateTimeField(_("记录时间"), auto_now=True, db_index=True)
    applied_at = models.DateTimeField(_("写入索引时间"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("失败次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("待写入索引的变更")
        verbose_name_plural = _("待写入索引的变更")
        ordering = ["updated_at", "pk"]

    def __str__(self):
        return f"{self.key} ({self.get_reason_display()})"
