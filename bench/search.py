"""Search for citizens' questions: our engine beside the strongest simple alternative, in one run
on the same statute library, scored on the evaluation set (bench/search_eval.toml).

    .venv/bin/python -m bench.search [--part test|dev] [--skip-peer] [--misses] [--fresh]

- ours: the portal's search service (analysis, thesaurus, ranking, relevance cut-off) over all
  statute articles and the demo content, as the search page and API call it;
- jieba + BM25 + OpenCC: what a competent engineer builds in an afternoon: every article in force
  indexed as law name + article number + text, folded to simplified Chinese with OpenCC, cut by
  jieba's search mode, common stop words dropped, ranked by BM25 (bm25s, Lucene's variant);
- Wagtail's default database search backend (SQLite FTS5, what Wagtail uses with no
  WAGTAILSEARCH_BACKENDS setting) over the same statute articles, as a secondary reference.

Figures are over the chosen part (the test part by default; tune on dev only): an acceptable law
or article among the first 1, 3 and 10 results (a gold article's law; a gold article), MRR@10 of
the first gold article, answerable questions with no result at all, unanswerable questions
answered anyway, questions with a repealed or historical text in their first 10, and latency:
in-process for each engine, and over real HTTP: our API and the baseline behind a bare WSGI
function, each on a local server, asked in turn (printed as a ratio).

It uses its own SQLite file (var/bench/search.sqlite3, migrated and filled once and kept;
--fresh rebuilds it), never the portal's database.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from bench import _search_eval as evaluation
from bench._django import setup_django as bench_django

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "var" / "bench" / "search.sqlite3"
TOP = 10
OURS, BASELINE = "本项目", "jieba+BM25"
API_ROUNDS = 3  # each question through HTTP this many times (the first round warms caches)
TARGETS = {
    "article_at_3": 0.60,
    "article_vs_bm25": 1.5,
    "law_at_3": 0.85,
    "no_result": 0.05,
    "nonsense": 1 / 8,
    "repealed": 0,
    "api_p50_ms": 15,
    "api_p95_ms": 40,
}
# The baseline's stop words: function words and the words of asking, as a list from any Chinese
# NLP tutorial has them.
BASELINE_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "么",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "等",
        "之",
        "其",
        "而",
        "着",
        "过",
        "也",
        "都",
        "就",
        "还",
        "又",
        "再",
        "很",
        "不",
        "没",
        "有",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "自己",
        "这",
        "那",
        "这个",
        "那个",
        "哪",
        "哪个",
        "哪些",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "为什么",
        "多少",
        "几",
        "吗",
        "能",
        "能不能",
        "可以",
        "可不可以",
        "会",
        "要",
        "应该",
        "需要",
        "是不是",
        "有没有",
        "被",
        "把",
        "给",
        "让",
        "对",
        "从",
        "向",
        "到",
        "去",
        "来",
        "说",
        "算",
        "个",
        "些",
        "上",
        "下",
        "里",
        "后",
        "前",
        "时",
        "一",
        "一个",
        "呢",
        "么",
        "啥",
        "咋",
        "咋办",
        "咋整",
    ]
)


def setup_django(fresh, index_dir):
    os.environ.pop("ELASTICSEARCH_URL", None)
    bench_django(BENCH_DB, fresh=fresh, environ={"SEARCH_INDEX_DIR": str(index_dir)})
    from django.core.management import call_command

    from content.models import StatuteArticle

    if not StatuteArticle.objects.exists():
        print("首次运行：导入法律法规库和演示内容（约一分钟）…", flush=True)
        call_command("import_statutes", verbosity=0)
        from content import demo

        demo.load(stdout=sys.stdout)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# Scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One result as the evaluation sees it: its law, its article, and whether it is in force."""

    law_id: str | None
    article: str | None  # the corpus label, 第九百四十四条
    in_force: bool = True


@dataclass
class Scores:
    name: str
    answerable: int = 0
    unanswerable: int = 0
    law_hits: Counter = field(default_factory=Counter)  # k → questions with a gold law in top k
    article_hits: Counter = field(default_factory=Counter)
    reciprocal_ranks: list = field(default_factory=list)
    no_result: int = 0
    nonsense_answered: int = 0
    repealed: int = 0
    latencies: list = field(default_factory=list)
    by_kind: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # kind → [hit@3, n]
    misses: list = field(default_factory=list)

    def add(self, question, gold, found, elapsed_ms):
        self.latencies.append(elapsed_ms)
        found = found[:TOP]
        if any(not f.in_force for f in found):
            self.repealed += 1
        if not question.answerable:
            self.unanswerable += 1
            self.nonsense_answered += bool(found)
            return
        self.answerable += 1
        self.no_result += not found
        gold_laws = {law_id for law_id, _ in gold}
        first_article = next(
            (i for i, f in enumerate(found, 1) if (f.law_id, f.article) in gold), None
        )
        first_law = next((i for i, f in enumerate(found, 1) if f.law_id in gold_laws), None)
        for k in (1, 3, 10):
            self.law_hits[k] += first_law is not None and first_law <= k
            self.article_hits[k] += first_article is not None and first_article <= k
        self.reciprocal_ranks.append(1 / first_article if first_article else 0.0)
        self.by_kind[question.kind][0] += first_article is not None and first_article <= 3
        self.by_kind[question.kind][1] += 1
        if first_article is None or first_article > 3:
            self.misses.append((question, found[:3]))

    def rate(self, counter, k):
        return counter[k] / self.answerable if self.answerable else 0.0

    @property
    def mrr(self):
        return statistics.fmean(self.reciprocal_ranks) if self.reciprocal_ranks else 0.0


def gold_keys(questions):
    """{question text: {(law_id, label), …}} from the corpus file."""
    from content.statutes import read_corpus

    index = evaluation.corpus_index(read_corpus())
    return {
        q.q: {a.key for ref in q.gold for a in evaluation.resolve(ref, index)} for q in questions
    }


# Ours ----------------------------------------------------------------------------------------


def build_ours():
    from search import indexing
    from search.engines import get_engine

    started = time.perf_counter()
    count = indexing.rebuild(get_engine(), progress=True)
    return count, time.perf_counter() - started


def ask_ours(text):
    from search.service import DEFAULT_PAGE_SIZE, run_search

    data = {"q": text, "page": 1, "page_size": DEFAULT_PAGE_SIZE}
    answer = run_search(data | dict.fromkeys(("type", "topic", "law", "level", "status"), ""))
    return [Found(r["law_id"], r["article_no"], r["in_force"]) for r in answer.results]


def peer_app(baseline):
    """The baseline behind HTTP as an afternoon would put it: a bare WSGI function answering
    JSON (none of Django's middleware, so its figure is the floor of what HTTP adds)."""

    def app(environ, start_response):
        q = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
        found = [{"law_id": f.law_id, "article_no": f.article} for f in baseline.ask(q)]
        body = json.dumps({"results": found}, ensure_ascii=False).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return app


def run_api(questions, baseline):
    """Each question through HTTP to ours (the real API, /api/search/) and to the baseline,
    each behind a WSGI server on 127.0.0.1 in this process, asked in turn so that the machine's
    load weighs on both alike. {engine name: latencies in ms}."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    import httpx
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    apps = {
        OURS: (get_wsgi_application(), "/api/search/"),
        BASELINE: (peer_app(baseline), "/"),
    }
    servers, clients = [], {}
    latencies = {name: [] for name in apps}
    try:
        for name, (app, path) in apps.items():
            server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            base = f"http://127.0.0.1:{server.server_port}"
            clients[name] = (httpx.Client(base_url=base, timeout=10), path)
        for round_ in range(API_ROUNDS):
            for question in questions:
                for name, (client, path) in clients.items():
                    t0 = time.perf_counter()
                    response = client.get(path, params={"q": question.q})
                    elapsed = (time.perf_counter() - t0) * 1000
                    response.raise_for_status()
                    if round_:  # the first round warms the process
                        latencies[name].append(elapsed)
    finally:
        for client, _ in clients.values():
            client.close()
        for server in servers:
            server.shutdown()
    return latencies


# jieba + BM25 + OpenCC -------------------------------------------------------------------------


class Bm25Baseline:
    """An afternoon's work, done properly: OpenCC t2s, jieba search mode, stop words, BM25."""

    def __init__(self):
        import bm25s
        import jieba
        import opencc

        from content.models import Statute, StatuteArticle

        jieba.setLogLevel(60)
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.jieba = jieba
        self.t2s = opencc.OpenCC("t2s")
        articles = (
            StatuteArticle.objects.filter(statute__status__in=Statute.IN_FORCE_STATUSES)
            .select_related("statute")
            .order_by("statute_id", "position")
        )
        started = time.perf_counter()
        self.found = []
        corpus = []
        for article in articles.iterator(chunk_size=2000):
            statute = article.statute
            self.found.append(Found(statute.law_id, article.label, True))
            corpus.append(self.tokens(f"{statute.name} {article.label} {article.text}"))
        self.vocabulary = {token for tokens in corpus for token in tokens}
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self.build = time.perf_counter() - started

    def tokens(self, text):
        words = self.jieba.lcut_for_search(self.t2s.convert(text).lower())
        return [w for w in words if w.strip() and w not in BASELINE_STOP_WORDS and w.isalnum()]

    def ask(self, text):
        tokens = [t for t in self.tokens(text) if t in self.vocabulary]
        if not tokens:
            return []
        documents, scores = self.retriever.retrieve([tokens], k=TOP, show_progress=False)
        return [self.found[d] for d, s in zip(documents[0], scores[0], strict=True) if s > 0]


# Wagtail's default database backend -----------------------------------------------------------


def indexed_statute_model():
    """StatuteArticle as Wagtail would index it (title = law name and article number, body = the
    text), as a proxy model, so the default backend indexes the very same rows."""
    from modelsearch import index

    from content.models import StatuteArticle

    class BenchStatuteArticle(index.Indexed, StatuteArticle):
        search_fields = [index.SearchField("title"), index.SearchField("text")]

        class Meta:
            proxy = True
            app_label = "search"

        @property
        def title(self):
            return f"{self.statute.name} {self.label}"

    return BenchStatuteArticle


class WagtailDefault:
    def __init__(self):
        from django.db import transaction
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
        from tqdm import tqdm

        model = indexed_statute_model()
        self.backend = SQLiteSearchBackend({})
        index = self.backend.get_index_for_model(model)
        self.objects = model.objects.select_related("statute").order_by("pk")
        started = time.perf_counter()
        with transaction.atomic():
            index.delete_stale_model_entries(model)
            batch = []
            total = self.objects.count()
            for obj in tqdm(self.objects.iterator(chunk_size=2000), total=total, desc="默认后端"):
                batch.append(obj)
                if len(batch) == 1000:
                    index.add_items(model, batch)
                    batch = []
            index.add_items(model, batch)
        self.build = time.perf_counter() - started

    def ask(self, text):
        try:
            found = list(self.backend.search(text, self.objects)[:TOP])
        except Exception:  # e.g. its FTS5 syntax errors: a failed query finds nothing
            found = []
        return [Found(a.statute.law_id, a.label, a.statute.is_in_force) for a in found]


def score(name, ask, questions, gold):
    scores = Scores(name)
    for question in questions:
        t0 = time.perf_counter()
        found = ask(question.q)
        scores.add(question, gold[question.q], found, (time.perf_counter() - t0) * 1000)
    return scores


# Report ---------------------------------------------------------------------------------------


def report(part_name, questions, engines, api, build):
    ours, bm25 = engines[0], engines[1]
    n, m = ours.answerable, ours.unanswerable
    pct = lambda x: f"{x * 100:.1f} %"  # noqa: E731
    rows = []
    for label, k, counter in (
        ("法律 命中@1", 1, "law_hits"),
        ("法律 命中@3", 3, "law_hits"),
        ("法律 命中@10", 10, "law_hits"),
        ("法条 命中@1", 1, "article_hits"),
        ("法条 命中@3", 3, "article_hits"),
        ("法条 命中@10", 10, "article_hits"),
    ):
        rows.append((label, [e.rate(getattr(e, counter), k) for e in engines], pct, True))
    rows += [
        ("MRR@10（法条）", [e.mrr for e in engines], lambda x: f"{x:.3f}", True),
        ("有答案却无结果", [e.no_result for e in engines], lambda x: f"{x}/{n}", False),
        ("无答案却给出结果", [e.nonsense_answered for e in engines], lambda x: f"{x}/{m}", False),
        ("前 10 条含废止/历史文本", [e.repealed for e in engines], str, False),
        (
            "引擎耗时 p50",
            [statistics.median(e.latencies) for e in engines],
            lambda x: f"{x:.2f} ms",
            False,
        ),
        (
            "引擎耗时 p95",
            [percentile(e.latencies, 0.95) for e in engines],
            lambda x: f"{x:.2f} ms",
            False,
        ),
        ("建索引耗时", build, lambda x: f"{x:.1f} s", False),
    ]
    names = [e.name for e in engines]
    print()
    print(
        f"检索评测集 {part_name} 部分：{len(questions)} 个问题（{n} 个有答案，{m} 个库中无答案），"
        f"哈希 {evaluation.part_hash(questions)[:16]}"
    )
    header = f"{'':<24}" + "".join(f"{name:>18}" for name in names) + f"{'本项目/BM25':>14}"
    print(header)
    for label, values, fmt, higher in rows:
        cells = "".join(f"{fmt(v):>18}" if v is not None else f"{'—':>18}" for v in values)
        mine, theirs = values[0], values[1]
        if mine and theirs:
            ratio = mine / theirs if higher else theirs / mine
            times = f"{ratio:.2f}×"
        else:
            times = "—"
        print(f"{label:<24}{cells}{times:>14}")
    for label, fraction in (("HTTP API 耗时 p50", 0.5), ("HTTP API 耗时 p95", 0.95)):
        mine, theirs = percentile(api[OURS], fraction), percentile(api[BASELINE], fraction)
        cells = f"{mine:>15.2f} ms{theirs:>15.2f} ms" + " " * 18 * (len(engines) - 2)
        print(f"{label:<24}{cells}{theirs / mine:>13.2f}×")
    print()
    print("按问题类型，法条 命中@3：")
    for kind in evaluation.KINDS:
        cells = []
        for e in engines[:2]:
            hit, total = e.by_kind[kind]
            cells.append(f"{e.name} {hit}/{total}" if total else "")
        if any(cells):
            print(f"  {kind:<12}" + "    ".join(cells))
    return check_targets(ours, bm25, api[OURS])


def check_targets(ours, bm25, api):
    a3, b3 = ours.rate(ours.article_hits, 3), bm25.rate(bm25.article_hits, 3)
    checks = [
        ("法条 命中@3 ≥ 60 %", a3 >= TARGETS["article_at_3"]),
        ("法条 命中@3 ≥ 1.5 × BM25", b3 == 0 or a3 / b3 >= TARGETS["article_vs_bm25"]),
        ("法律 命中@3 ≥ 85 %", ours.rate(ours.law_hits, 3) >= TARGETS["law_at_3"]),
        ("有答案却无结果 ≤ 5 %", ours.no_result <= TARGETS["no_result"] * ours.answerable),
        (
            "无答案却给出结果 ≤ 1/8",
            ours.nonsense_answered <= TARGETS["nonsense"] * ours.unanswerable,
        ),
        ("默认前 10 条无废止文本", ours.repealed == TARGETS["repealed"]),
        ("HTTP API p50 ≤ 15 ms", statistics.median(api) <= TARGETS["api_p50_ms"]),
        ("HTTP API p95 ≤ 40 ms", percentile(api, 0.95) <= TARGETS["api_p95_ms"]),
    ]
    print()
    print("目标：" + "；".join(f"{label} {'✓' if ok else '✗'}" for label, ok in checks))
    return all(ok for _, ok in checks)


def print_misses(scores):
    print(f"\n{scores.name}：法条未进前 3 的问题（及前 3 条结果）：")
    for question, found in scores.misses:
        shown = "、".join(f"{f.law_id}:{f.article}" for f in found) or "无结果"
        print(f"  [{question.kind}] {question.q} → {shown}   （应为 {'、'.join(question.gold)}）")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=evaluation.PARTS, default="test", help="评测集的部分")
    parser.add_argument("--fresh", action="store_true", help="重建基准数据库")
    parser.add_argument("--skip-peer", action="store_true", help="不测 Wagtail 默认后端（快）")
    parser.add_argument("--misses", action="store_true", help="列出本项目未命中的问题")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pufa-bench-search-") as index_dir:
        setup_django(args.fresh, index_dir)
        questions = evaluation.part(evaluation.load(), args.part)
        gold = gold_keys(questions)
        count, ours_build = build_ours()
        print(f"本项目索引：{count} 条文档（法条 + 演示内容）", flush=True)
        baseline = Bm25Baseline()
        engines = [
            score(OURS, ask_ours, questions, gold),
            score(BASELINE, baseline.ask, questions, gold),
        ]
        build = [ours_build, baseline.build]
        if not args.skip_peer:
            peer = WagtailDefault()
            engines.append(score("Wagtail默认", peer.ask, questions, gold))
            build.append(peer.build)
        api = run_api(questions, baseline)
        met = report(args.part, questions, engines, api, build)
        if args.misses:
            print_misses(engines[0])
    if not met:
        sys.exit("未达到目标")


if __name__ == "__main__":
    main()
