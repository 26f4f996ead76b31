"""One click to 116 channels: time until every delivery is delivered, through the real task
worker (`manage.py db_worker` processes) and the real delivery code, against local receivers
that fail 20 % of requests (15 % answer 500, 5 % answer after the sender's timeout), beside a
naive sequential send without retries to the same receivers in the same run.

    .venv/bin/python -m bench.fanout [--channels 116] [--workers 1] [--fresh]

Prints: time until all delivered (target < 5 s), attempts per delivery, duplicates the
receivers' handlers saw after de-duplication on webhook-id (must be 0), and the settings used
for the run (retry backoff base and ceiling, the worker's polling interval, timeouts).
It uses its own SQLite file (var/bench/fanout.sqlite3, migrated once and kept; --fresh
rebuilds it), never the portal's database.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench._django import setup_django as bench_django

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "var" / "bench" / "fanout.sqlite3"
TARGET_SECONDS = 5.0
# Settings for this run (the defaults suit a real province: seconds, not tens of milliseconds).
RUN_SETTINGS = {
    "DISTRIBUTION_RETRY_BASE": "0.05",
    "DISTRIBUTION_RETRY_CEILING": "0.5",
    "DISTRIBUTION_CONNECT_TIMEOUT": "0.5",
    "DISTRIBUTION_REQUEST_TIMEOUT": "0.5",
    "DISTRIBUTION_CONCURRENCY": "16",
    "DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
}
WORKER_INTERVAL = "0.05"
FAULTS = {"error_rate": 0.15, "timeout_rate": 0.05, "hang_seconds": 0.8}
RECEIVERS = 4


def setup_django(fresh):
    print("迁移基准数据库（首次较慢）…", flush=True)
    bench_django(BENCH_DB, fresh=fresh, environ=RUN_SETTINGS)


def build_scene(count, receivers):
    """A live article and `count` webhook channels, one per region, spread over the receivers."""
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Page

    from content.models import ArticlePage, HomePage, TopicIndexPage
    from distribution.models import Channel, Distribution
    from geodata.models import Region

    Distribution.objects.all().delete()
    Channel.objects.all().delete()
    DBTaskResult.objects.all().delete()

    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="湖北网络普法"))
    topic = TopicIndexPage.objects.first() or home.add_child(
        instance=TopicIndexPage(title="反电信网络诈骗", slug="fanzha")
    )
    article = ArticlePage.objects.filter(slug="bench-fanout").first()
    if article is None:
        article = topic.add_child(
            instance=ArticlePage(
                title="遇到电信诈骗怎么办",
                slug="bench-fanout",
                summary="基准测试用的普法文章。",
                body=[("paragraph", "<p>遇到电信网络诈骗，请立即拨打110报警。</p>")],
            )
        )
    article.save_revision().publish()

    regions = list(Region.objects.exclude(level=Region.Level.PROVINCE).order_by("adcode")[:count])
    if len(regions) < count:
        raise SystemExit(
            f"只有 {len(regions)} 个行政区，需要 {count} 个（请先 migrate 载入行政区划）"
        )
    channels = []
    for index, region in enumerate(regions):
        code = f"bench{region.adcode}"
        receiver = receivers[index % len(receivers)]
        channels.append(
            Channel(
                name=f"{region.name}基准渠道",
                code=code,
                region=region,
                kind=Channel.Kind.MEDIA_CENTRE,
                delivery_mode=Channel.Mode.WEBHOOK,
                webhook_url=receiver.hook_url(code),
            )
        )
    Channel.objects.bulk_create(channels)
    return article, list(Channel.objects.all())


def start_workers(count):
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        WORKER_INTERVAL,
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
    ]
    return [subprocess.Popen(command, cwd=ROOT, env=os.environ.copy()) for _ in range(count)]


def wait_for_workers_ready(timeout=300):
    """Wait until a worker has run a probe task (so it has started, and has drained the tasks
    that building the scene queued) before the click is timed."""
    from django_tasks_db.models import DBTaskResult

    from distribution.tasks import recover_deliveries

    probe = recover_deliveries.enqueue()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DBTaskResult.objects.get(pk=probe.id).status == "SUCCESSFUL":
            return
        time.sleep(0.1)
    raise SystemExit("任务进程没有在规定时间内启动")


def one_click(article, total):
    from distribution import services
    from distribution.models import Delivery, DeliveryAttempt

    started = time.perf_counter()
    distribution = services.distribute(article, None, everywhere=True)
    deadline = started + 120
    while True:
        delivered = distribution.deliveries.filter(state=Delivery.State.DELIVERED).count()
        if delivered == total or time.perf_counter() > deadline:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    attempts = DeliveryAttempt.objects.filter(delivery__distribution=distribution).count()
    dead = distribution.deliveries.filter(state=Delivery.State.DEAD).count()
    return elapsed, delivered, attempts, dead


def naive_sequential(channels, receivers_by_code, article):
    """The peer: one request per channel, one after the other, no retries."""
    import httpx
    from standardwebhooks.webhooks import Webhook  # noqa: F401 - signing as the real path

    from distribution.payload import item_payload
    from distribution.webhooks import encode_body, signed_headers

    item = item_payload(article)
    delivered = 0
    started = time.perf_counter()
    with httpx.Client(timeout=float(RUN_SETTINGS["DISTRIBUTION_REQUEST_TIMEOUT"])) as client:
        for channel in channels:
            body = encode_body({"type": "item.published", "data": {**item, "naive": True}})
            headers = signed_headers([channel.signing_secret], f"naive_{channel.code}", body)
            try:
                response = client.post(channel.webhook_url, content=body, headers=headers)
                delivered += 200 <= response.status_code < 300
            except httpx.HTTPError:
                pass
    return time.perf_counter() - started, delivered


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=116)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="重建基准数据库")
    args = parser.parse_args()

    setup_django(args.fresh)
    from distribution.receiver import Faults, Receiver

    secrets = {}
    receivers = [
        Receiver(secrets.get, Faults(seed=index, **FAULTS)).start() for index in range(RECEIVERS)
    ]
    article, channels = build_scene(args.channels, receivers)
    for channel in channels:
        secrets[channel.code] = [channel.signing_secret]

    workers = start_workers(args.workers)
    try:
        wait_for_workers_ready()
        elapsed, delivered, attempts, dead = one_click(article, len(channels))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)

    handled = {}
    for receiver in receivers:
        handled.update(receiver.handled)
    duplicates = sum(n - 1 for (code, kind, _id), n in handled.items() if n > 1)
    missing = len(channels) - sum(1 for (_c, kind, _i) in handled if kind == "item.published")
    dropped = sum(r.stats["duplicates_dropped"] for r in receivers)
    injected = sum(r.stats["injected_500"] for r in receivers)

    naive_elapsed, naive_delivered = naive_sequential(channels, secrets, article)
    for receiver in receivers:
        receiver.stop()

    status = "达标" if delivered == len(channels) and elapsed < TARGET_SECONDS else "未达标"
    print()
    print(
        f"一键分发 {len(channels)} 个推送渠道，接收端注入 20% 暂时故障"
        f"（500 {FAULTS['error_rate']:.0%}，超时 {FAULTS['timeout_rate']:.0%}）"
    )
    print(
        "本次设置："
        + "，".join(f"{k}={v}" for k, v in RUN_SETTINGS.items())
        + f"，db_worker --interval {WORKER_INTERVAL}，worker 进程 {args.workers} 个"
    )
    print(f"{'':24}{'送达':>8}{'耗时 s':>10}{'每个送达的尝试次数':>16}")
    print(
        f"{'真实 worker + 重试':24}{delivered:>5}/{len(channels)}{elapsed:>10.2f}"
        f"{attempts / max(delivered, 1):>16.2f}"
    )
    print(
        f"{'朴素顺序发送、不重试':22}{naive_delivered:>5}/{len(channels)}{naive_elapsed:>10.2f}"
        f"{1.0:>16.2f}"
    )
    print(
        f"去重后处理方重复收到：{duplicates}（须为 0）；未收到：{missing}；"
        f"接收端按 webhook-id 丢弃的重发：{dropped}；注入的 500：{injected}；放弃：{dead}"
    )
    print(f"目标：全部送达 < {TARGET_SECONDS:.0f} s —— {status}")
    return 0 if status == "达标" and duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
