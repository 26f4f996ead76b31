"""The search app's tables.

- The outbox of index changes: every publish, unpublish, move or delete is written here in the
  editor's transaction, and the task worker applies it to the engine. A change is marked applied
  only after the engine took it, so an engine that is down loses nothing: the rows wait and are
  replayed (by the next change or the periodic task) when it is back.
- The editors' entries of the citizen-word thesaurus.
- What citizens asked, per day, for the report of unanswered questions."""

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.thesaurus import Entry, split_terms

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


class ThesaurusEntryQuerySet(models.QuerySet):
    def stamp(self):
        """Changes whenever an entry is added, changed or deleted: (count, latest change)."""
        found = self.aggregate(count=models.Count("pk"), latest=models.Max("updated_at"))
        return found["count"], found["latest"]

    def as_entries(self):
        return [row.as_entry() for row in self.order_by("updated_at", "pk")]


class ThesaurusEntry(models.Model):
    """An editor's entry of the citizen-word thesaurus: it adds everyday words, or replaces (or,
    switched off, removes) the maintained file's entry for the same word. Searches use it at
    once; nothing is rebuilt."""

    spoken = models.CharField(
        _("市民说法"), max_length=200, help_text=_("群众常说的词，多个用逗号分隔，如：老板, 东家")
    )
    legal = models.CharField(
        _("法律用语"),
        max_length=300,
        help_text=_("法条中对应的用语，多个用逗号分隔，如：用人单位"),
    )
    source = models.CharField(
        _("出处"),
        max_length=200,
        blank=True,
        help_text=_("使用该法律用语的条文，如：劳动合同法 第2条"),
    )
    active = models.BooleanField(
        _("启用"),
        default=True,
        help_text=_("停用时，这些说法不再扩展（也屏蔽内置词表中的同一说法）"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    objects = ThesaurusEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["-updated_at", "pk"]

    def __str__(self):
        return f"{self.spoken} → {self.legal}"

    def clean(self):
        errors = {}
        if not split_terms(self.spoken):
            errors["spoken"] = _("请至少填写一个说法。")
        if not split_terms(self.legal):
            errors["legal"] = _("请至少填写一个法律用语。")
        if errors:
            raise ValidationError(errors)

    def as_entry(self):
        return Entry(
            spoken=split_terms(self.spoken),
            legal=split_terms(self.legal),
            source=self.source,
            active=self.active,
        )


class SearchQueryStatQuerySet(models.QuerySet):
    def record(self, query, found, day=None):
        """Count one search of `query` today; `found` is how many results it had. One statement
        (an upsert, which the ORM cannot write with increments), so two processes counting the
        same question at once both count, and a search pays for no query building."""
        day = day or timezone.localdate()
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        q, d, searches, no_result, clicks, results = map(
            quote, ("query", "day", "searches", "no_result", "clicks", "results")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({q}, {d}, {searches}, {no_result}, {clicks}, {results}) "
                f"VALUES (%s, %s, 1, %s, 0, %s) ON CONFLICT ({q}, {d}) DO UPDATE SET "
                f"{searches} = {table}.{searches} + 1, "
                f"{no_result} = {table}.{no_result} + excluded.{no_result}, "
                f"{results} = excluded.{results}",
                [query, connection.ops.adapt_datefield_value(day), 0 if found else 1, found],
            )

    def record_click(self, query, day=None):
        day = day or timezone.localdate()
        return self.filter(query=query, day=day).update(clicks=models.F("clicks") + 1)


class SearchQueryStat(models.Model):
    """What citizens asked, per day: how often, how often it found nothing, how often a result
    was opened. Only the query text is kept (folded, at most 100 characters): no address, no
    account, nothing that says who asked."""

    query = models.CharField(_("检索词"), max_length=100)
    day = models.DateField(_("日期"), db_index=True)
    searches = models.PositiveIntegerField(_("检索次数"), default=0)
    no_result = models.PositiveIntegerField(_("无结果次数"), default=0)
    clicks = models.PositiveIntegerField(_("点击结果次数"), default=0)
    results = models.PositiveIntegerField(_("最近一次的结果数"), default=0)

    objects = SearchQueryStatQuerySet.as_manager()

    class Meta:
        verbose_name = _("检索记录")
        verbose_name_plural = _("检索记录")
        ordering = ["-day", "-searches"]
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="unique_search_query_day")
        ]

    def __str__(self):
        return f"{self.day} {self.query}"
