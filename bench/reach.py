"""Reach benchmarks, each figure printed beside a peer measured in the same run:

1. recording a page view (the before_serve_page hook's work, and the beacon endpoint), durable
   write included, vs a trivial Django view that inserts one row (target ≤ 1.3×);
2. raw view events rolled up per second by the real roll-up code over 10 million generated
   events (target ≥ 50,000/s): the recurring path, re-rolling days already rolled up (their
   old rows deleted, under the day's lock), beside a bare SQL GROUP BY (views and distinct
   visitors) over the same rows; then two worker processes rolling up the same days at once,
   which must leave exactly the rows one leaves;
3. the coverage query over the resulting roll-ups (target ≤ 100 ms), beside the same figures
   counted from the raw events;
4. the map build time and page size, from bench/map.py.

    .venv/bin/python -m bench.reach [--events 10000000] [--requests 2000]

It uses its own SQLite file (var/bench/reach.sqlite3, rebuilt each run, deleted afterwards
unless --keep), never the portal's database.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

from bench._django import setup_django as bench_django

BENCH_DB = Path(__file__).resolve().parent.parent / "var" / "bench" / "reach.sqlite3"
TARGETS = {"record_ratio": 1.3, "rollup_per_s": 50_000, "coverage_ms": 100}
DAYS = 30
PAGES = 5
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def setup_django():
    bench_django(BENCH_DB, log_level="ERROR")


# --- URLs of the recording benchmark (this module is the URLconf while it runs) -------------


def trivial_insert(request):
    """The peer: a Django view that inserts one row and answers 204."""
    from django.db import connection
    from django.http import HttpResponse
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_trivial (page_id, seen_at) VALUES (%s, %s)",
            [int(request.GET.get("page", 0)), timezone.now().isoformat()],
        )
    return HttpResponse(status=204)


def hook_recording(request):
    """What the before_serve_page hook adds to serving a page: record_view, then 204."""
    from django.http import HttpResponse

    from reach.counting import record_view

    record_view(request, int(request.GET["page"]), request.GET.get("ch"))
    return HttpResponse(status=204)


def _urlpatterns():
    from django.urls import path

    from portal.api import api

    return [
        path("bench/trivial/", trivial_insert),
        path("bench/hook/", hook_recording),
        path("api/", api.urls),
    ]


def __getattr__(name):  # the URLconf's urlpatterns, built once Django is set up
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def make_items():
    """A home page, a topic and PAGES articles, and one channel per region."""
    from wagtail.models import Page, Site

    from content.models import ArticlePage, HomePage, TopicIndexPage
    from distribution.models import Channel
    from geodata.models import Region

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="湖北网络普法", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    topic = home.add_child(instance=TopicIndexPage(title="基准栏目", slug="bench"))
    pages = [
        topic.add_child(
            instance=ArticlePage(
                title=f"基准文章{n}",
                slug=f"bench-{n}",
                summary="基准",
                body=[("paragraph", "<p>基准</p>")],
            )
        )
        for n in range(PAGES)
    ]
    regions = list(Region.objects.exclude(level=Region.Level.PROVINCE).order_by("adcode"))
    Channel.objects.bulk_create(
        Channel(name=f"基准渠道{r.adcode}", code=f"b{r.adcode}", region=r, kind="media_centre")
        for r in regions
    )
    return [p.pk for p in pages], [r.adcode for r in regions]


def bench_recording(page_ids, requests):
    """Median microseconds per request through the whole Django stack (test client)."""
    from django.db import connection
    from django.test import Client, override_settings

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_trivial (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "page_id INTEGER NOT NULL, seen_at TEXT NOT NULL)"
        )
    client = Client(HTTP_USER_AGENT=BROWSER_UA)
    page = page_ids[0]
    variants = {
        "trivial": lambda n: client.get(f"/bench/trivial/?page={page}", REMOTE_ADDR=address(n)),
        "hook": lambda n: client.get(
            f"/bench/hook/?page={page}&ch=b420102", REMOTE_ADDR=address(n)
        ),
        "beacon": lambda n: client.post(
            "/api/reach/view/",
            f'{{"page": {page}, "ch": "b420102"}}',
            content_type="application/json",
            REMOTE_ADDR=address(n),
        ),
    }
    timings = {name: [] for name in variants}
    with override_settings(ROOT_URLCONF=__name__, REACH_BEACON_RATE="100000/m"):
        for name, call in variants.items():  # warm up each path
            for n in range(50):
                assert call(10_000_000 + n).status_code == 204, name
        # Interleaved rounds, so a busy moment on the machine hits every variant alike.
        for round_start in range(0, requests, 100):
            for name, call in variants.items():
                start = time.perf_counter()
                for n in range(round_start, round_start + 100):
                    call(n + hash(name) % 1000 * 1_000_000)
                timings[name].append((time.perf_counter() - start) / 100 * 1e6)
    from reach.models import ViewEvent

    recorded = ViewEvent.objects.count()
    return {name: statistics.median(values) for name, values in timings.items()}, recorded


def address(n):
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def generate_events(total, page_ids, adcodes, today):
    """`total` raw view events over DAYS days, written by SQL in one statement: ordered by
    (date, page, visitor) so the unique index grows at its end, regions spread over the 116
    plus unknown."""
    from django.db import connection
    from django.utils import timezone

    per_day = total // DAYS
    per_page = max(1, per_day // len(page_ids))
    first = today - datetime.timedelta(days=DAYS - 1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_pages (k INTEGER PRIMARY KEY, id INTEGER)")
        cursor.executemany("INSERT INTO bench_pages VALUES (%s, %s)", list(enumerate(page_ids)))
        cursor.execute("CREATE TEMP TABLE bench_regions (k INTEGER PRIMARY KEY, adcode INTEGER)")
        cursor.executemany(
            "INSERT INTO bench_regions VALUES (%s, %s)",
            list(enumerate([*adcodes, None])),
        )
        cursor.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {total - 1})
            INSERT INTO reach_viewevent
                (date, page_id, region_id, channel_id, visitor, load, beacon, seen_at)
            SELECT date(%s, '+' || MIN(i / {per_day}, {DAYS - 1}) || ' days'),
                   p.id, r.adcode, NULL, CAST(printf('%%016d', i / 3) AS BLOB), NULL, 0, %s
            FROM n
            JOIN bench_pages p ON p.k = (i / {per_page}) %% {len(page_ids)}
            JOIN bench_regions r ON r.k = (i * 7919) %% {len(adcodes) + 1}
            """,
            [first.isoformat(), (timezone.now() - datetime.timedelta(days=DAYS)).isoformat()],
        )
    return [first + datetime.timedelta(days=d) for d in range(DAYS)]


def bench_rollup(days):
    """The recurring roll-up (every day already rolled once, so each run deletes its old rows)
    beside a bare GROUP BY, interleaved day by day so machine load hits both alike."""
    from django.db import connection

    from reach.rollup import roll_up_day

    for day in days:
        roll_up_day(day)  # the first roll-up; what the clock repeats is below
    ours = bare = 0.0
    events = 0
    for day in days:
        start = time.perf_counter()
        events += roll_up_day(day)
        ours += time.perf_counter() - start
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT page_id, region_id, channel_id, COUNT(*), COUNT(DISTINCT visitor) "
                "FROM reach_viewevent WHERE date = %s GROUP BY 1, 2, 3",
                [day.isoformat()],
            )
            cursor.fetchall()
        bare += time.perf_counter() - start
    return events, ours, bare


def bench_concurrent_workers(days):
    """Two worker processes roll up the same days at once: the day lock makes the second wait,
    and the unique key would refuse a duplicate. Returns (rows before, rows after, duplicate
    keys, seconds, exit codes)."""
    import subprocess

    from django.db import connection

    def keys():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM reach_dailyreach")
            rows = cursor.fetchone()[0]
            cursor.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM reach_dailyreach GROUP BY date, page_id, "
                "COALESCE(region_id, 0), COALESCE(channel_id, 0) HAVING COUNT(*) > 1)"
            )
            return rows, cursor.fetchone()[0]

    before, _ = keys()
    env = {**os.environ, "LOG_LEVEL": "ERROR"}
    start = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "reach_rollup", "--since", days[0].isoformat()],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    codes = [worker.wait() for worker in workers]
    seconds = time.perf_counter() - start
    after, duplicates = keys()
    return before, after, duplicates, seconds, codes


def bench_coverage(repeat=20):
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count

    from reach import coverage
    from reach.models import ViewEvent

    results = {}
    for level in ("prefecture", "county"):
        flt = coverage.make_filter(level=level)
        times = []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            result = coverage.coverage_geojson(coverage.coverage(flt))
            times.append((time.perf_counter() - start) * 1000)
        results[level] = (statistics.median(times), len(result["features"]))
    start = time.perf_counter()
    cached_runs = 200
    for _ in range(cached_runs):
        coverage.coverage_geojson(coverage.coverage(coverage.make_filter()))
    results["cached"] = (time.perf_counter() - start) * 1000 / cached_runs
    flt = coverage.make_filter()
    start = time.perf_counter()
    list(
        ViewEvent.objects.filter(date__gte=flt.start, date__lte=flt.end)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    results["raw_ms"] = (time.perf_counter() - start) * 1000
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reach_dailyreach")
        results["rollup_rows"] = cursor.fetchone()[0]
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep var/bench/reach.sqlite3")
    parser.add_argument("--no-map", action="store_true", help="skip the map figures")
    args = parser.parse_args(argv)

    setup_django()
    from django.utils import timezone

    page_ids, adcodes = make_items()
    lines = [f"触达基准（湖北网络普法；本机负载 {os.getloadavg()[0]:.1f}，各项同一次运行中测得）"]

    medians, recorded = bench_recording(page_ids, args.requests)
    trivial = medians["trivial"]
    lines += [
        "1. 记录一次浏览（经完整 Django 中间件栈，含持久写入）",
        f"   对照：只插入一行的最简 Django 视图 {trivial:.0f} µs/次",
        f"   钩子（before_serve_page 的记录工作）{medians['hook']:.0f} µs/次，"
        f"比值 {medians['hook'] / trivial:.2f}×（目标 ≤ {TARGETS['record_ratio']}×）",
        f"   信标 POST /api/reach/view/ {medians['beacon']:.0f} µs/次，"
        f"比值 {medians['beacon'] / trivial:.2f}×",
        f"   （共记录 {recorded:,} 次浏览）",
    ]
    print("\n".join(lines), flush=True)

    today = timezone.localdate()
    start = time.perf_counter()
    days = generate_events(args.events, page_ids, adcodes, today)
    generated = time.perf_counter() - start
    events, ours, bare = bench_rollup(days)
    before, after, duplicates, seconds, codes = bench_concurrent_workers(days)
    lines = [
        f"2. 汇总：{events:,} 条原始浏览记录（生成用时 {generated:.1f} s），{DAYS} 天",
        f"   重新汇总已汇总的日子（含删除旧行、持锁）{ours:.2f} s，即 {events / ours:,.0f} 条/秒"
        f"（目标 ≥ {TARGETS['rollup_per_s']:,} 条/秒）",
        f"   对照：只做 SQL GROUP BY（浏览量与去重访客）{bare:.2f} s，"
        f"即 {events / bare:,.0f} 条/秒；比值 {ours / bare:.2f}×",
        f"   两个进程同时汇总这 {DAYS} 天：退出码 {codes}，用时 {seconds:.1f} s；"
        f"汇总行 {before:,} → {after:,}，重复键 {duplicates} 个",
    ]
    print("\n".join(lines), flush=True)

    results = bench_coverage()
    lines = [
        f"3. 覆盖查询（最近 30 天，全部内容，{results['rollup_rows']:,} 行每日汇总）",
        f"   市州层 {results['prefecture'][0]:.1f} ms（{results['prefecture'][1]} 个区域），"
        f"县级层 {results['county'][0]:.1f} ms（{results['county'][1]} 个区域）"
        f"（目标 ≤ {TARGETS['coverage_ms']} ms，不含缓存）；命中缓存 {results['cached']:.2f} ms",
        f"   对照：直接统计原始记录 {results['raw_ms']:.0f} ms，"
        f"比值 {results['raw_ms'] / results['prefecture'][0]:.0f}×",
    ]
    print("\n".join(lines), flush=True)

    if not args.no_map:
        from bench.map import measure_map, report_lines

        print("4. " + "\n".join(report_lines(measure_map())), flush=True)

    if not args.keep:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DB}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
