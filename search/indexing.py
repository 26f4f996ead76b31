"""Keeping the index in step with the content: applying the outbox, rebuilding, verifying.
Called by the task worker, the management commands and the demo loader, never by a web
request (the worker is the only writer of the embedded index)."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from search import analysis
from search.documents import all_documents, count_documents, document_for_key
from search.engines import EngineUnavailable, get_engine
from search.models import APPLIED_RETENTION, PendingChange

logger = logging.getLogger(__name__)

BATCH = 500
REBUILD_MARGIN = timezone.timedelta(seconds=10)


def record_changes(keys, reason):
    """Queue documents for (re)indexing once the current transaction commits, and wake the
    worker. The row is written in the editor's transaction, so the change cannot be lost."""
    from search.tasks import apply_pending_changes

    keys = list(keys)
    if not keys:
        return
    PendingChange.objects.record(keys, reason)
    transaction.on_commit(apply_pending_changes.enqueue)


def apply_pending(engine=None, batch=BATCH):
    """Write pending changes to the engine; returns how many were applied. On failure the rows
    stay pending with the error noted, to be replayed on the next run."""
    engine = engine or get_engine()
    applied = 0
    while True:
        rows = list(PendingChange.objects.pending()[:batch])
        if not rows:
            break
        documents, deletes = [], []
        for row in rows:
            doc = document_for_key(row.key)
            if doc is None:
                deletes.append(row.key)
            else:
                documents.append(doc)
        try:
            engine.delete_keys(deletes)
            engine.index_documents(documents)
        except (EngineUnavailable, OSError, ValueError, ConnectionError) as exc:
            logger.warning("search index unavailable, %d changes kept pending: %s", len(rows), exc)
            for row in rows:
                PendingChange.objects.filter(pk=row.pk, updated_at=row.updated_at).update(
                    attempts=row.attempts + 1, last_error=str(exc)[:2000]
                )
            raise
        now = timezone.now()
        for row in rows:
            # Only if no newer change of the same document arrived meanwhile.
            PendingChange.objects.filter(pk=row.pk, updated_at=row.updated_at).update(
                applied_at=now
            )
        applied += len(rows)
        if len(rows) < batch:
            break
    PendingChange.objects.filter(applied_at__lt=timezone.now() - APPLIED_RETENTION).delete()
    return applied


def rebuild(engine=None, progress=True, stream=None):
    """Build a whole new index from the database and switch to it at once (a new Tantivy
    generation, or a new Elasticsearch index behind the alias). Changes applied to the old
    index while this ran are replayed into the new one."""
    engine = engine or get_engine()
    analysis.reset_segmenter()  # pick up the law names of the current library
    started = timezone.now()
    total = count_documents()
    bar = None
    if progress:
        bar = tqdm(total=total, desc="建立检索索引", unit="条", file=stream, mininterval=0.5)

    def counted(docs):
        for doc in docs:
            yield doc
            if bar is not None:
                bar.update()

    count = engine.rebuild(counted(all_documents()), total=total)
    if bar is not None:
        bar.close()
    # Changes applied to the old index while this ran are queued again for the new one. Those
    # recorded well before it began are in the new index already (committed before it read the
    # database; the margin covers a transaction still open when it started).
    PendingChange.objects.filter(applied_at__gte=started).update(applied_at=None)
    settled = PendingChange.objects.pending().filter(updated_at__lt=started - REBUILD_MARGIN)
    settled.update(applied_at=timezone.now())
    return count


@dataclass
class VerifyReport:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)


def verify(engine=None):
    """Compare the index with what it should hold: documents missing, stale (their content
    changed) or extra (no longer searchable)."""
    engine = engine or get_engine()
    indexed = engine.stamps()
    report = VerifyReport()
    expected = set()
    for doc in all_documents():
        expected.add(doc.key)
        stamp = indexed.get(doc.key)
        if stamp is None:
            report.missing.append(doc.key)
        elif stamp != doc.stamp:
            report.stale.append(doc.key)
    report.extra = sorted(set(indexed) - expected)
    return report


def fix(report, engine=None):
    """Queue every key the report names and apply them now."""
    keys = [*report.missing, *report.stale, *report.extra]
    PendingChange.objects.record(keys, PendingChange.Reason.VERIFY)
    return apply_pending(engine)
