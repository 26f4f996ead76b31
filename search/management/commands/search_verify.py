"""Report documents missing from, stale in, or wrongly kept in the search index; --fix repairs
them through the same outbox the publishing signals use."""

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.engines import EngineUnavailable, get_engine

SHOWN = 20


class Command(BaseCommand):
    help = "核对检索索引与数据库：列出缺失、过期和多余的文档；--fix 修复"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="把有问题的文档重新写入或删除")

    def handle(self, *args, fix=False, **options):
        engine = get_engine()
        try:
            report = indexing.verify(engine)
        except EngineUnavailable as exc:
            raise CommandError(f"检索引擎不可用：{exc}") from exc
        for label, keys in (
            ("缺失", report.missing),
            ("过期", report.stale),
            ("多余", report.extra),
        ):
            self.stdout.write(f"{label}：{len(keys)} 条")
            for key in keys[:SHOWN]:
                self.stdout.write(f"  {key}")
            if len(keys) > SHOWN:
                self.stdout.write(f"  ……另有 {len(keys) - SHOWN} 条")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("检索索引与数据库一致"))
            return
        if not fix:
            raise CommandError("检索索引与数据库不一致；运行 search_verify --fix 修复")
        applied = indexing.fix(report, engine)
        after = indexing.verify(engine)
        if not after.ok:
            raise CommandError("修复后仍不一致，请查看日志或运行 search_reindex")
        self.stdout.write(self.style.SUCCESS(f"已修复 {applied} 条，检索索引与数据库一致"))
