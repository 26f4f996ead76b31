"""Demo loader (settings.DEMO_LOADERS, after content): make sure the search index exists and
holds the demo content. Builds it when missing or out of step with the library (the first
`make run`); otherwise only applies queued changes, so a second `make run` starts in seconds."""

import time

from search import indexing
from search.documents import count_documents
from search.engines import EngineUnavailable, get_engine


def load(stdout, reset=False):
    engine = get_engine()
    if reset or not engine.exists() or _count(engine) != count_documents():
        started = time.perf_counter()
        count = indexing.rebuild(engine)
        stdout.write(f"  检索索引已建立：{count} 条，用时 {time.perf_counter() - started:.1f} 秒")
    try:
        applied = indexing.apply_pending(engine)
    except EngineUnavailable as exc:  # the worker will replay them
        stdout.write(f"  检索索引暂时不可写，待写入的变更留给任务进程：{exc}")
        return
    stdout.write(f"  检索索引已就绪（{engine.name}），写入待处理变更 {applied} 条")


def _count(engine):
    try:
        return engine.count()
    except EngineUnavailable:
        return -1
