"""Chinese search: our embedded engine beside Wagtail's default database search backend, on the
same statute library in the same run.

    .venv/bin/python -m bench.search [--fresh] [--skip-peer]

Builds our index over all statute articles and the demo content (analysis included, with a
progress bar), and Wagtail's default database backend (SQLite FTS5, what Wagtail uses with no
WAGTAILSEARCH_BACKENDS setting) over the same statute articles. Then runs the fixed citizen
queries of bench/search_queries.toml (committed before any tuning) against both and prints, side
by side with ratios: hit rate (an expected law among the first 5 results), p50 and p95 latency of
the engine, p50 and p95 through our HTTP API (a local WSGI server, real HTTP), and build time.

It uses its own SQLite file (var/bench/search.sqlite3, migrated and filled once and kept;
--fresh rebuilds it), never the portal's database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

from bench._django import setup_django as bench_django

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "var" / "bench" / "search.sqlite3"
QUERIES = Path(__file__).resolve().parent / "search_queries.toml"
TOP = 5
API_ROUNDS = 3  # each query through HTTP this many times (the first warms caches)
TARGETS = {"hit_rate": 0.95, "api_p50_ms": 15, "api_p95_ms": 40, "build_s": 15}


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


def load_queries():
    return tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def is_hit(short_names, expected):
    return any(name in expected for name in short_names[:TOP])


# Ours -----------------------------------------------------------------------------------------


def run_ours(queries):
    from search import indexing
    from search.analysis import parse_query
    from search.engines import get_engine
    from search.service import find

    engine = get_engine()
    started = time.perf_counter()
    count = indexing.rebuild(engine, progress=True)
    build = time.perf_counter() - started

    hits, latencies = 0, []
    misses = []
    for query in queries:
        t0 = time.perf_counter()
        results, _ = find(parse_query(query["q"]), limit=TOP, engine=engine)
        latencies.append((time.perf_counter() - t0) * 1000)
        names = [h.document.law_short_name for h in results.hits if h.document.type == "statute"]
        if is_hit(names, query["expect"]):
            hits += 1
        else:
            misses.append((query["q"], names[:TOP]))
    return {"count": count, "build": build, "hits": hits, "latencies": latencies, "misses": misses}


def run_api(queries):
    """Each query through the real HTTP API: a WSGI server on 127.0.0.1 in this process."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    import httpx
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    latencies = []
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for round_ in range(API_ROUNDS):
                for query in queries:
                    t0 = time.perf_counter()
                    response = client.get("/api/search/", params={"q": query["q"]})
                    elapsed = (time.perf_counter() - t0) * 1000
                    response.raise_for_status()
                    if round_:  # the first round warms the process
                        latencies.append(elapsed)
    finally:
        server.shutdown()
    return latencies


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


def run_peer(queries):
    from django.db import transaction
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
    from tqdm import tqdm

    model = indexed_statute_model()
    backend = SQLiteSearchBackend({})
    index = backend.get_index_for_model(model)
    objects = model.objects.select_related("statute").order_by("pk")
    started = time.perf_counter()
    with transaction.atomic():
        index.delete_stale_model_entries(model)
        batch = []
        for obj in tqdm(objects.iterator(chunk_size=2000), total=objects.count(), desc="默认后端"):
            batch.append(obj)
            if len(batch) == 1000:
                index.add_items(model, batch)
                batch = []
        index.add_items(model, batch)
    build = time.perf_counter() - started

    hits, latencies = 0, []
    for query in queries:
        t0 = time.perf_counter()
        try:
            found = list(backend.search(query["q"], objects)[:TOP])
        except Exception:  # e.g. its FTS5 syntax errors: a failed query finds nothing
            found = []
        latencies.append((time.perf_counter() - t0) * 1000)
        names = [a.statute.short_name for a in found]
        hits += is_hit(names, query["expect"])
    return {"build": build, "hits": hits, "latencies": latencies}


# Report ---------------------------------------------------------------------------------------


def ratio(ours, peer, higher_is_better):
    if not ours or not peer:
        return "—"
    value = ours / peer if higher_is_better else peer / ours
    return f"{value:,.1f}×"


def report(queries, ours, api, peer):
    n = len(queries)
    rows = [
        ("命中率（前 5 条含预期法律）", ours["hits"] / n, peer and peer["hits"] / n, True, "pct"),
        (
            "引擎耗时 p50",
            statistics.median(ours["latencies"]),
            peer and statistics.median(peer["latencies"]),
            False,
            "ms",
        ),
        (
            "引擎耗时 p95",
            percentile(ours["latencies"], 0.95),
            peer and percentile(peer["latencies"], 0.95),
            False,
            "ms",
        ),
        ("HTTP API 耗时 p50", statistics.median(api), None, False, "ms"),
        ("HTTP API 耗时 p95", percentile(api, 0.95), None, False, "ms"),
        ("建索引耗时（含分词）", ours["build"], peer and peer["build"], False, "s"),
    ]

    def fmt(value, unit):
        if value is None:
            return "—"
        if unit == "pct":
            return f"{value * 100:.1f} %"
        if unit == "ms":
            return f"{value:.2f} ms"
        return f"{value:.1f} s"

    print()
    print(f"中文检索基准：{n} 条市民问题，{ours['count']} 条文档（法条 + 演示内容）")
    print(f"{'':<26}{'本项目（嵌入式）':>16}{'Wagtail 默认数据库后端':>24}{'倍数':>10}")
    for label, mine, theirs, higher, unit in rows:
        times = ratio(mine, theirs, higher)
        print(f"{label:<26}{fmt(mine, unit):>16}{fmt(theirs, unit):>24}{times:>10}")
    print()
    print(
        "目标：命中率 ≥ 95 %；HTTP API p50 ≤ 15 ms、p95 ≤ 40 ms；全部法条建索引 ≤ 15 s。"
        f" 本次：命中 {ours['hits']}/{n}" + (f"，默认后端命中 {peer['hits']}/{n}" if peer else "")
    )
    if ours["misses"]:
        print("未命中的问题（及前 5 条结果所属法律）：")
        for q, names in ours["misses"]:
            print(f"  {q}：{'、'.join(names) or '无结果'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="重建基准数据库")
    parser.add_argument("--skip-peer", action="store_true", help="不测 Wagtail 默认后端（快）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pufa-bench-search-") as index_dir:
        setup_django(args.fresh, index_dir)
        queries = load_queries()
        ours = run_ours(queries)
        api = run_api(queries)
        peer = None if args.skip_peer else run_peer(queries)
        report(queries, ours, api, peer)


if __name__ == "__main__":
    main()
