"""The embedded engine: Tantivy (BM25, on-disk index) fed with our Chinese analysis.

Layout of settings.SEARCH_INDEX_DIR: one folder per generation and a CURRENT file naming the
generation readers use. A rebuild writes a new generation and swaps CURRENT at once, like an
Elasticsearch alias. Only the task worker writes (one Tantivy writer per index); web processes
read, and reopen or reload when CURRENT or the index's meta.json changes, so a published page is
findable within seconds."""

import collections
import contextlib
import functools
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
import uuid
from pathlib import Path

import tantivy

from search import analysis
from search.documents import IN_FORCE_STATUSES, STATUSES, SearchDocument

from .base import (
    COVERAGE_BOOST,
    FACET_FIELDS,
    FACET_SIZE,
    FACETS,
    LAW_NAME_BOOST,
    NAMED_LAW_BOOST,
    NO_FILTERS,
    SUGGEST_LIMIT,
    TITLE_BOOST,
    WORD_BOOST,
    EngineUnavailable,
    Hit,
    Results,
    SearchEngine,
    parse_suggestion_term,
    suggestion_terms,
)

logger = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = "3"
WHITESPACE = "ws"
RAW_FIELDS = ("key", "type", "topic", "law_id", "level", "status")
WRITER_HEAP = 128_000_000
PARALLEL_FROM = 5000  # documents; fewer are analysed in this process
FREQUENCY_CACHE = 20_000  # document frequencies of query words kept per process
DOCUMENT_CACHE = 30_000  # parsed stored documents kept per process
Occur = tantivy.Occur
Q = tantivy.Query


def build_schema():
    builder = tantivy.SchemaBuilder()
    for name in RAW_FIELDS:
        builder.add_text_field(name, stored=name == "key", fast=name != "key", tokenizer_name="raw")
    builder.add_text_field("law_names", tokenizer_name="raw")  # folded full and short name
    builder.add_text_field("suggest", tokenizer_name="raw")
    for name in ("title_g", "title_w", "body_g", "law_g"):
        builder.add_text_field(name, tokenizer_name=WHITESPACE)
    builder.add_bytes_field("source", stored=True, indexed=False)
    return builder.build()


@functools.lru_cache(maxsize=2048)
def law_fields(law_name, short_name):
    """A law's name fields, shared by all its articles, so analysed once per law."""
    if not law_name:
        return {}
    return {
        "law_g": analysis.index_tokens(f"{law_name} {short_name}").grams,
        "law_names": sorted({analysis.fold(law_name), analysis.fold(short_name)} - {""}),
    }


def document_fields(doc):
    """Everything Tantivy needs for one document, as plain picklable values (the analysis is
    the costly part, so a rebuild runs it in worker processes)."""
    title = analysis.index_tokens(doc.title, words=True)
    fields = {
        "key": doc.key,
        "type": doc.type,
        "topic": doc.topic,
        "law_id": doc.law_id,
        "level": doc.level,
        "status": doc.status,
        "title_g": title.grams,
        "title_w": title.words,
        "body_g": analysis.index_tokens(doc.body).grams,
        "suggest": suggestion_terms(doc),
        **law_fields(doc.law_name, doc.law_short_name),
    }
    source = json.dumps(doc.as_dict(), ensure_ascii=False).encode()
    return {k: v for k, v in fields.items() if v}, source


def document_fields_batch(docs):
    return [document_fields(doc) for doc in docs]


def to_tantivy(prepared):
    fields, source = prepared
    document = tantivy.Document(**fields)
    document.add_bytes("source", source)
    return document


def batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def analysis_pool(total):
    """One analysing process per core when there are many documents (the statute library);
    None (analyse here) when few. Started before the Tantivy writer's threads exist, so that
    forking copies no lock a writer thread holds."""
    processes = os.cpu_count() or 1
    if processes < 2 or (total or 0) < PARALLEL_FROM:
        yield None
        return
    analysis.segmenter()  # load the dictionary before forking: the children inherit it
    sys.stdout.flush()  # or the children would print what is buffered (a progress bar) again
    sys.stderr.flush()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield pool


def prepared_documents(documents, pool):
    """document_fields of each document, in order."""
    if pool is None:
        yield from map(document_fields, documents)
        return
    # Documents are read here (they may come from a database cursor of this thread); a few
    # batches are analysed ahead while Tantivy indexes the earlier ones.
    pending = collections.deque()
    for batch in batches(documents, 500):
        pending.append(pool.apply_async(document_fields_batch, (batch,)))
        if len(pending) > 4:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def from_source(raw):
    data = json.loads(raw)
    data.pop("stamp", None)
    return SearchDocument(**data)


class EmbeddedEngine(SearchEngine):
    name = "embedded"

    def __init__(self, directory):
        self.directory = Path(directory)
        self.schema = build_schema()
        self._lock = threading.Lock()
        self._generation = None
        self._index = None
        self._meta = None
        self._frequencies = {}
        self._documents = {}

    # Generations ---------------------------------------------------------------------------

    @property
    def current_file(self):
        return self.directory / "CURRENT"

    def _current_generation(self):
        try:
            name = self.current_file.read_text().strip()
        except FileNotFoundError:
            return None
        if not name.startswith(f"v{SCHEMA_VERSION}-") or not (self.directory / name).is_dir():
            return None
        return name

    def exists(self):
        generation = self._current_generation()
        return generation is not None and tantivy.Index.exists(str(self.directory / generation))

    def _open(self, path, create=False):
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(path), reuse=not create)
        index.register_tokenizer(
            WHITESPACE, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        )
        return index

    def _new_generation(self):
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return f"v{SCHEMA_VERSION}-{stamp}-{uuid.uuid4().hex[:6]}"

    def _switch_to(self, generation):
        tmp = self.current_file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(generation)
        os.replace(tmp, self.current_file)  # atomic: readers see the old or the new, never none
        for old in self.directory.iterdir():
            if old.is_dir() and old.name != generation and old.name.startswith("v"):
                # Readers that still have old files open keep reading them until they reopen.
                shutil.rmtree(old, ignore_errors=True)

    def _writable_index(self):
        generation = self._current_generation()
        if generation is None:
            generation = self._new_generation()
            index = self._open(self.directory / generation, create=True)
            self._switch_to(generation)
            return index
        return self._open(self.directory / generation)

    # Reading -------------------------------------------------------------------------------

    def _searcher(self):
        """A searcher over the newest committed state, reopening after a swap and reloading
        after a commit (a stat or two per query)."""
        generation = self._current_generation()
        if generation is None:
            raise EngineUnavailable("检索索引尚未建立")
        try:
            # Each commit rewrites meta.json; its mtime and inode can repeat within a clock tick,
            # so compare its (small) content.
            meta = (self.directory / generation / "meta.json").read_bytes()
        except FileNotFoundError as exc:
            raise EngineUnavailable("检索索引尚未建立") from exc
        with self._lock:
            if generation != self._generation:
                self._index = self._open(self.directory / generation)
                self._generation, self._meta = generation, meta
            elif meta != self._meta:
                self._index.reload()
                self._meta = meta
            return self._index.searcher()

    # Writing -------------------------------------------------------------------------------

    def rebuild(self, documents, total=None, progress=None):
        self.directory.mkdir(parents=True, exist_ok=True)
        generation = self._new_generation()
        index = self._open(self.directory / generation, create=True)
        documents = progress(documents) if progress else documents
        count = 0
        try:
            with analysis_pool(total) as pool:
                writer = index.writer(WRITER_HEAP, 2)
                for fields in prepared_documents(documents, pool):
                    writer.add_document(to_tantivy(fields))
                    count += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            shutil.rmtree(self.directory / generation, ignore_errors=True)
            raise
        self._switch_to(generation)
        return count

    def _write(self, action):
        try:
            index = self._writable_index()
            writer = index.writer(WRITER_HEAP // 4, 1)
        except ValueError as exc:  # another process holds the writer lock
            raise EngineUnavailable(f"检索索引正被其他进程写入：{exc}") from exc
        try:
            action(writer)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def index_documents(self, documents):
        documents = list(documents)
        if not documents:
            return

        def add(writer):
            for doc in documents:
                writer.delete_documents_by_term("key", doc.key)
                writer.add_document(to_tantivy(document_fields(doc)))

        self._write(add)

    def delete_keys(self, keys):
        keys = list(keys)
        if keys:
            self._write(lambda writer: [writer.delete_documents_by_term("key", k) for k in keys])

    # Queries -------------------------------------------------------------------------------

    def _term_clauses(self, term, law=True):
        """Where one term may match, with its weight in each field (the law's name too, unless
        `law` is false)."""
        s = self.schema
        if not term.is_han or len(term.text) == 2:
            clauses = [
                Q.boost_query(Q.term_query(s, "title_g", term.text), TITLE_BOOST),
                Q.term_query(s, "body_g", term.text),
            ]
            if law:
                clauses.append(Q.boost_query(Q.term_query(s, "law_g", term.text), LAW_NAME_BOOST))
            return clauses
        if len(term.text) == 1:
            # A lone character: any bigram holding it, or the character standing alone.
            c = re.escape(term.text)
            return [Q.regex_query(s, "body_g", f"{c}.?|.{c}")]
        grams = term.grams
        clauses = [
            Q.boost_query(Q.phrase_query(s, "title_g", grams), TITLE_BOOST),
            Q.boost_query(Q.term_query(s, "title_w", term.text), WORD_BOOST),
            Q.phrase_query(s, "body_g", grams),
        ]
        if law:
            clauses.append(Q.boost_query(Q.phrase_query(s, "law_g", grams), LAW_NAME_BOOST))
        return clauses

    def text_query(self, plan):
        groups = [
            Q.boolean_query([(Occur.Should, c) for term in group for c in self._term_clauses(term)])
            for group in plan.groups
        ]
        matched = Q.boolean_query(
            [(Occur.Should, g) for g in groups],
            minimum_number_should_match=plan.minimum_should_match,
        )
        clauses = [(Occur.Must, matched)]
        if len(groups) > 1:
            # Coverage: a document with every word of the question scores that match again.
            every = Q.boolean_query([(Occur.Must, g) for g in groups])
            clauses.append((Occur.Should, Q.boost_query(every, COVERAGE_BOOST)))
        for name in plan.law_names:
            named = Q.term_query(self.schema, "law_names", name)
            clauses.append((Occur.Should, Q.boost_query(named, NAMED_LAW_BOOST)))
        return Q.boolean_query(clauses)

    def filter_clauses(self, filters, hide_repealed=True):
        s = self.schema
        clauses = [
            (Occur.Must, Q.term_query(s, FACET_FIELDS[facet], value))
            for facet, value in filters.items()
        ]
        if hide_repealed and not filters.status:
            # Repealed and historical texts only when a status filter asks for them.
            hidden = [st for st in STATUSES if st not in IN_FORCE_STATUSES]
            clauses.append((Occur.MustNot, Q.term_set_query(s, "status", hidden)))
        return clauses

    def search(
        self, plan, filters=NO_FILTERS, offset=0, limit=10, facets=True, include_repealed=False
    ):
        if plan.is_empty:
            return Results(total=0, hits=[], facets={f: {} for f in FACETS} if facets else {})
        searcher = self._searcher()
        text = self.text_query(plan)
        clauses = self.filter_clauses(filters, hide_repealed=not include_repealed)
        query = Q.boolean_query([(Occur.Must, text), *clauses])
        # Ranking asks for candidates only (a broad plan, no facets): no need to count them all.
        count = facets or not plan.broad
        found = searcher.search(query, limit=limit, offset=offset, count=count)
        hits = [Hit(self._document(searcher, a), score) for score, a in found.hits]
        results = Results(total=found.count if count else len(hits), hits=hits)
        if facets:
            results.facets = self._facets(searcher, text, filters)
        return results

    def _document(self, searcher, address):
        """The stored document at an address, parsed once per index state."""
        key = (self._meta, address.segment_ord, address.doc)
        document = self._documents.get(key)
        if document is None:
            document = from_source(searcher.doc(address)["source"][0])
            if len(self._documents) > DOCUMENT_CACHE:
                self._documents.clear()
            self._documents[key] = document
        return document

    def frequencies(self, plan):
        """How many documents hold each group of the plan (in their own text, not only in
        their law's name), and how many documents there are. Counted once per index state."""
        searcher = self._searcher()
        with self._lock:
            meta = self._meta
        counts = []
        for group in plan.groups:
            key = (meta, tuple(t.text for t in group))
            count = self._frequencies.get(key)
            if count is None:
                clauses = [(Occur.Should, c) for t in group for c in self._term_clauses(t, False)]
                count = searcher.search(Q.boolean_query(clauses), limit=1, count=True).count
                if len(self._frequencies) > FREQUENCY_CACHE:
                    self._frequencies.clear()
                self._frequencies[key] = count
            counts.append(count)
        return counts, searcher.num_docs

    def _facets(self, searcher, text, filters):
        """Counts per facet value, each computed without that facet's own filter (so choosing a
        type still shows how many of the other types there are; the status facet also counts
        repealed texts, so they can be asked for); one aggregation per distinct filter set."""
        by_filters = {}
        for facet in FACETS:
            key = (filters.without(facet), facet != "status")
            by_filters.setdefault(key, []).append(facet)
        counts = {}
        for (facet_filters, hide_repealed), names in by_filters.items():
            clauses = self.filter_clauses(facet_filters, hide_repealed)
            query = Q.boolean_query([(Occur.Must, text), *clauses])
            aggs = {
                name: {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}} for name in names
            }
            answer = searcher.aggregate(query, aggs)
            for name in names:
                counts[name] = {
                    b["key"]: b["doc_count"] for b in answer[name]["buckets"] if b["key"]
                }
        return counts

    def suggest(self, prefix, limit=SUGGEST_LIMIT):
        folded = analysis.fold(prefix.strip())
        if not folded:
            return []
        searcher = self._searcher()
        suggestions, seen = [], set()
        for term, _ in searcher.terms_with_prefix("suggest", folded, limit=limit * 4):
            suggestion = parse_suggestion_term(term)
            if suggestion.url in seen:
                continue
            # The term dictionary keeps deleted documents' terms until a merge: check it lives.
            if not searcher.search(Q.term_query(self.schema, "suggest", term), limit=1).hits:
                continue
            seen.add(suggestion.url)
            suggestions.append(suggestion)
            if len(suggestions) == limit:
                break
        return suggestions

    def warm_up(self):
        """Every stored document parsed into the cache (the whole library is about half a
        second and 50 MB per process, which the cache would reach after enough questions)."""
        searcher = self._searcher()
        found = searcher.search(Q.all_query(), limit=min(searcher.num_docs, DOCUMENT_CACHE))
        return [self._document(searcher, address) for _, address in found.hits]

    def stamps(self):
        searcher = self._searcher()
        found = searcher.search(Q.all_query(), limit=max(searcher.num_docs, 1), count=False)
        result = {}
        for _, address in found.hits:
            data = json.loads(searcher.doc(address)["source"][0])
            result[data["key"]] = data["stamp"]
        return result

    def count(self):
        return self._searcher().num_docs

    def health(self):
        try:
            return True, f"嵌入式索引，{self.count()} 条文档"
        except EngineUnavailable as exc:
            return False, str(exc)
