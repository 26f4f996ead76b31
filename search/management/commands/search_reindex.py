"""Rebuild the whole search index without downtime: a new index is built beside the old one and
readers switch to it at once (a new generation of the embedded index, or a new Elasticsearch
index and an alias swap)."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.engines import EngineUnavailable, get_engine


class Command(BaseCommand):
    help = "重建检索索引（新索引建好后一次切换，检索不中断）"

    def handle(self, *args, verbosity=1, **options):
        engine = get_engine()
        started = time.perf_counter()
        try:
            count = indexing.rebuild(engine, progress=verbosity >= 1, stream=self.stderr)
        except EngineUnavailable as exc:
            raise CommandError(f"检索引擎不可用：{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"检索索引已重建（{engine.name}）：{count} 条，"
                f"用时 {time.perf_counter() - started:.1f} 秒"
            )
        )
