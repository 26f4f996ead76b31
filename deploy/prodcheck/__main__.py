"""`make prod-check`: the production layout on one machine, under a bounded real load, reconciled.

Brings up Debian's PostgreSQL 15, Redis and nginx (installed first if missing), migrates,
collects static files, imports the statutes and loads the demo with the production settings,
starts gunicorn behind nginx (the web pool, and the page-view beacon's own small pool), two task
workers, the clock and the channels' receiver (20 % of webhooks fail, 20 % of feed polls are
skipped); then Locust, headless, on 127.0.0.1 only, while an editor publishes an article through
review and distributes it to every channel, and the task worker sending it to the channels is
killed with SIGKILL midway through and started again. Afterwards: every accepted view counted
once the roll-up has run, every delivery delivered, the killed worker's task recovered (failed
as WorkerLost, queued again, finished), the beacon limit held exactly across the beacon pool's
processes, every beacon answered by that pool, the load at 30 requests a second or more for
120 s or more, no 5xx, no error in any log. Everything it started is stopped by process id,
however it ends. Exit status 0 only when all of that holds (the last line says E = 0, C = S and
D = 116); 2 when the layout could not be brought up.

Settings (environment): PRODCHECK_HTTP_PORT (8480), PRODCHECK_WEB_PORT (8481),
PRODCHECK_RECEIVER_PORT (8482), PRODCHECK_POSTGRES_PORT (8483), PRODCHECK_REDIS_PORT (8484),
PRODCHECK_BEACON_PORT (8485), PRODCHECK_SECONDS (150), PRODCHECK_USERS (60),
PRODCHECK_WEB_WORKERS (4), PRODCHECK_BEACON_WORKERS (2), PRODCHECK_DIR (a new temporary folder,
removed afterwards unless PRODCHECK_KEEP=1); ELASTICSEARCH_URL is passed on.
"""

import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from datetime import date
from pathlib import Path

from deploy.prodcheck.discover import discover
from deploy.prodcheck.services import (
    BIN,
    ROOT,
    CheckFailed,
    Layout,
    Ports,
    env_int,
    install_missing_packages,
    process_tree_cpu,
    wait_for_port,
)

CHANNELS = 116
PORTAL_PACKAGES = ["portal", "content", "search", "distribution", "reach", "geodata"]
TARGETS = {"article": 150, "topic": 150, "search": 150, "beacon": 50}
CACHED_PAGE_RATIO = 3.0
# The load the check must have run, at the least (the bounded load).
MIN_SECONDS = 120
MIN_RATE = 30
ACCESS_LINE = re.compile(r'"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \S+ HTTP/')
BEACON_PATH = "/api/reach/view/"


def log(message):
    print(f"[prod-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


def portal_environment(ports, workdir, database_url, redis_url):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SQLITE_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # nginx is the edge here, on plain HTTP over loopback (no TLS terminator in front).
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": f"http://127.0.0.1:{ports.http}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "SEARCH_INDEX_DIR": str(workdir / "search-index"),
            "SERVE_MEDIA": "false",
            "DISTRIBUTION_DEMO_RECEIVER_URL": f"http://127.0.0.1:{ports.receiver}",
            "DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{ports.receiver}",
            # The client's address as nginx passes it on, believed from nginx only.
            "TRUSTED_PROXIES": "127.0.0.1",
            "FRONTEND_CACHE_PURGE_URLS": f"http://127.0.0.1:{ports.http}/_purge",
            "GUNICORN_BIND": f"127.0.0.1:{ports.web}",
            "WEB_CONCURRENCY": str(env_int("PRODCHECK_WEB_WORKERS", 4)),
            # No task of the check runs for a minute: the killed worker's task is stale (and
            # recovered) within the check, not after production's half hour.
            "TASKS_STALE_AFTER_SECONDS": "60",
            "GUNICORN_KEEPALIVE": "75",  # as compose.yaml: nginx closes idle connections first
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


def layout_log_tail(path, size=3000):
    return path.read_text(errors="replace")[-size:] if path.exists() else "(no log)"


def manage(*args):
    return [str(BIN / "python"), "manage.py", *args]


def run_step(name, command, environment, workdir):
    started = time.monotonic()
    with open(workdir / "logs" / f"{name}.log", "wb") as output:
        result = subprocess.run(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        tail = layout_log_tail(workdir / "logs" / f"{name}.log")
        raise CheckFailed(f"{name} failed (exit {result.returncode}):\n{tail}")
    log(f"{name}: {time.monotonic() - started:.0f} s")


def start_portal(layout, environment, ports):
    gunicorn = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
    layout.start("web", gunicorn, environment)
    # The beacon's pool: the same code, settings and configuration on a port of its own.
    beacon = {
        **environment,
        "GUNICORN_BIND": f"127.0.0.1:{ports.beacon}",
        "WEB_CONCURRENCY": str(env_int("PRODCHECK_BEACON_WORKERS", 2)),
    }
    layout.start("beacon", gunicorn, beacon)
    for number in (1, 2):
        start_worker(layout, f"worker-{number}", environment)
    layout.start("clock", manage("clock"), environment)
    layout.start(
        "receiver",
        manage(
            "demo_receiver",
            "--port",
            str(ports.receiver),
            "--site",
            f"http://127.0.0.1:{ports.http}",
            "--error-rate",
            "0.15",
            "--timeout-rate",
            "0.05",
            "--slow-rate",
            "0",
            "--pull-skip-rate",
            "0.2",
        ),
        environment,
    )
    wait_for_port(ports.web, "gunicorn", timeout=120)
    wait_for_port(ports.beacon, "the beacon's gunicorn", timeout=120)
    wait_for_port(ports.receiver, "the receiver", timeout=120)


def start_worker(layout, name, environment):
    """A task worker with an id of its own name, so its running task can be told apart."""
    layout.start(
        name,
        manage(
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "1",
            "--no-reload",
            "--worker-id",
            f"prodcheck-{name}",
        ),
        environment,
    )


def run_locust(workdir, ports, seconds, users, environment):
    results = workdir / "locust-results.json"
    locust = (
        os.environ.get("PRODCHECK_LOCUST") or ROOT / "var" / "prodcheck-venv" / "bin" / "locust"
    )
    command = [
        str(locust),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--host",
        f"http://127.0.0.1:{ports.http}",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(workdir / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={
            **environment,
            "PRODCHECK_RESULTS": str(results),
            "PRODCHECK_SITE": str(workdir / "site.json"),
        },
        stdout=open(workdir / "logs" / "locust.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(5)
    if process.poll() is not None:
        tail = layout_log_tail(workdir / "logs" / "locust.log")
        raise CheckFailed(f"Locust stopped at once (exit {process.returncode}):\n{tail}")
    return process, results


def bring_up(layout, workdir, ports):
    """PostgreSQL and Redis, the production settings' one-off steps, then the portal behind
    nginx. Returns the portal's environment; Django is set up in this process with it."""
    database_url = layout.postgres()
    log(f"PostgreSQL 15 on {ports.postgres}")
    redis_url = layout.redis()
    log(f"Redis on {ports.redis}")
    environment = portal_environment(ports, workdir, database_url, redis_url)
    os.environ.update(environment)
    # Before nginx runs there is no page cache to purge.
    setup = {k: v for k, v in environment.items() if k != "FRONTEND_CACHE_PURGE_URLS"}
    for name, command in [
        # The portal's own modules compiled once, as the image does for its dependencies.
        ("compileall", [str(BIN / "python"), "-m", "compileall", "-q", *PORTAL_PACKAGES]),
        ("migrate", manage("migrate", "--noinput")),
        ("collectstatic", manage("collectstatic", "--noinput")),
        ("import_statutes", manage("import_statutes")),
        ("load_demo", manage("load_demo")),
    ]:
        run_step(name, command, setup, workdir)

    import django

    django.setup()
    # The check's own HTTP requests are not news (the portal's are in its logs).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    start_portal(layout, environment, ports)
    layout.nginx(workdir / "static", workdir / "media")
    log(
        f"nginx on {ports.http} → gunicorn on {ports.web}, beacons to gunicorn on "
        f"{ports.beacon}; workers, clock, receiver up"
    )
    return environment


class Newsroom(threading.Thread):
    """The editor and the reviewer at work during the load (deploy/prodcheck/editor.py)."""

    def __init__(self, base, delay):
        super().__init__()
        self.base = base
        self.delay = delay
        self.distributed = threading.Event()
        self.result = None
        self.error = "did not finish"

    def run(self):
        from deploy.prodcheck import editor

        try:
            time.sleep(self.delay)
            self.result = editor.publish_and_distribute(self.base, log, self.distributed)
            self.error = None
        except Exception as exc:  # reported as a failed check
            self.error = "".join(traceback.format_exception_only(exc)).strip()
        finally:
            self.distributed.set()


def kill_worker_mid_fan_out(layout, environment, newsroom, deadline):
    """SIGKILL, midway through the load, the task worker that is sending the editor's
    distribution to the channels, a second into its fan-out; then start it again. Returns the
    task it was running and its CPU seconds, or (None, 0) when no worker was caught at it."""
    from deploy.prodcheck import figures
    from distribution.tasks import send_deliveries

    workers = {f"prodcheck-{name}": name for name in layout.running() if name.startswith("worker")}
    newsroom.distributed.wait(timeout=max(0.0, deadline - time.monotonic()))
    task = figures.wait_for_running_task(send_deliveries, set(workers), deadline, 1.0)
    if task is None:
        return None, 0.0
    name = workers[task.worker_ids[-1]]
    cpu = process_tree_cpu([layout.processes[name].pid])
    layout.kill(name)
    log(f"{name} killed with SIGKILL while sending to the channels (task {task.pk})")
    time.sleep(2)
    start_worker(layout, f"{name}-restarted", environment)
    log(f"{name} started again")
    return task, cpu


def check(workdir, ports):
    import json

    seconds = env_int("PRODCHECK_SECONDS", 150)
    users = env_int("PRODCHECK_USERS", 60)
    failures = []  # checks that failed, each one error
    with Layout(workdir, ports, log) as layout:
        previous = signal.getsignal(signal.SIGTERM)

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        environment = bring_up(layout, workdir, ports)
        from django.conf import settings
        from django.db import connections

        from deploy.prodcheck import figures
        from reach.api import BeaconThrottle

        beacon_limit = BeaconThrottle().parse_rate(settings.REACH_BEACON_RATE)
        base = f"http://127.0.0.1:{ports.http}"
        site = discover(base, workdir / "site.json")
        log(
            f"found {len(site['articles'])} articles, {len(site['videos'])} videos, "
            f"{len(site['topics'])} topics"
        )
        figures.roll_up()
        since = date.today()
        counted_before = figures.counted_views(since)

        load_before = os.getloadavg()
        cpu_before = layout.cpu_seconds()
        served_before = served_by_pools(layout)
        started = time.monotonic()
        locust, results_path = run_locust(
            workdir,
            ports,
            seconds,
            users,
            {**environment, "PRODCHECK_BEACON_LIMIT": str(beacon_limit[0])},
        )
        log(f"Locust: {users} users for {seconds} s (load average {load_before[0]:.2f})")
        newsroom = Newsroom(base, delay=seconds * 0.2)
        newsroom.start()
        killed, killed_cpu = kill_worker_mid_fan_out(
            layout, environment, newsroom, deadline=started + seconds * 0.8
        )
        if killed is None:
            failures.append("no task worker was caught sending to the channels: none was killed")
        locust.wait(timeout=seconds + 120)
        elapsed = time.monotonic() - started
        cpu_after = layout.cpu_seconds()
        cpu_after["task workers"] += killed_cpu  # the killed worker's time until its end
        cpu = {part: cpu_after[part] - cpu_before.get(part, 0.0) for part in cpu_after}
        served = {
            pool: count - served_before[pool] for pool, count in served_by_pools(layout).items()
        }
        load_during = os.getloadavg()
        newsroom.join(timeout=300)
        log(f"load over after {elapsed:.0f} s (load average {load_during[0]:.2f})")

        if newsroom.error:
            failures.append(f"newsroom: {newsroom.error}")
            page_id = None
        else:
            page_id, cached_before, fresh_after = newsroom.result
        delivered = figures.DeliveryCount(0, 0, {})
        if page_id:
            delivered = figures.wait_for_deliveries(page_id, CHANNELS, 300, log)
            if delivered.channels != CHANNELS:
                failures.append(f"deliveries made for {delivered.channels} channels, not 116")
            open_states = {k: v for k, v in delivered.states.items() if k != "delivered"}
            if open_states:
                failures.append(f"deliveries not delivered: {open_states}")
        if killed is not None:
            try:
                copy = figures.recover_killed_task(killed, 120, log)
                log(
                    f"the killed worker's task {killed.pk} was failed as WorkerLost and queued "
                    f"again; the copy {copy.pk} finished on {copy.worker_ids[-1]}"
                )
            except RuntimeError as exc:
                failures.append(str(exc))
        figures.roll_up()
        counted = figures.counted_views(since) - counted_before

        if not (workdir / "locust_stats.csv").exists():
            tail = layout_log_tail(workdir / "logs" / "locust.log")
            raise CheckFailed(f"Locust ran no load (exit {locust.returncode}):\n{tail}")
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        stats = figures.load_figures(workdir / "locust_stats.csv")
        failures += probe_failures(results.get("limit_probe", {}), *beacon_limit)
        failures += rate_failures(stats["Aggregated"].requests, elapsed, seconds)
        failures += routing_failures(served)
        signal.signal(signal.SIGTERM, previous)
        # Our own connection goes before PostgreSQL stops (which would end it with a FATAL).
        connections.close_all()

    # Everything is stopped: the logs are complete.
    logs = {
        "portal": sorted((workdir / "logs").glob("*.log")),
        "nginx": [workdir / "nginx" / "error.log"],
        "access": [workdir / "nginx" / "access.log"],
        "postgres": [workdir / "postgres" / "server.log"],
    }
    logs["portal"] = [p for p in logs["portal"] if p.stem not in ("locust", "load_demo")]
    problems = figures.error_lines(logs)
    for name, line in problems[:20]:
        log(f"error in {name}: {line[:300]}")

    report(stats, results, seconds, elapsed, load_before, load_during)
    report_cpu(cpu, elapsed, served, stats, counted)
    total = stats["Aggregated"]
    sent = results.get("views_sent", 0)
    errors = total.failures + len(problems) + len(failures)
    for failure in failures:
        log(f"FAILED: {failure}")
    if page_id:
        log(
            f"newsroom: page {page_id} cached before the revision ({cached_before}), the "
            f"revision seen {fresh_after * 1000:.0f} ms after approval"
        )
    print(
        f"prod-check: {total.requests} requests in {elapsed:.0f} s "
        f"({total.requests / elapsed:.1f} req/s), {errors} errors, views sent {sent} counted "
        f"{counted}, delivered {delivered.delivered_channels}/{CHANNELS}, p95 {total.p95:.0f} ms",
        flush=True,
    )
    return errors == 0 and counted == sent and delivered.delivered_channels == CHANNELS


def probe_failures(probe, allowed, window):
    """The probe sent more beacons than the limit allows, one after another from one address:
    when they all fell within the limit's window, exactly the limit was accepted (whichever web
    process answered each: the count is in the shared cache) and every other one refused."""
    rate = f"{allowed} in {window} s"
    if probe.get("sent", 0) <= allowed:
        return [f"the limit probe sent {probe.get('sent', 0)} beacons, not more than {allowed}"]
    if probe["seconds"] >= window:
        return [f"the limit probe took {probe['seconds']:.0f} s, longer than the {window} s window"]
    if probe["accepted"] != allowed or probe["refused"] != probe["sent"] - allowed:
        return [f"the beacon limit ({rate}) accepted {probe['accepted']} of {probe['sent']}"]
    return []


def rate_failures(requests, elapsed, seconds):
    if seconds < MIN_SECONDS:
        return [f"the load ran {seconds} s, less than {MIN_SECONDS} s"]
    if requests / elapsed < MIN_RATE:
        return [f"the load reached {requests / elapsed:.1f} requests/s, not {MIN_RATE}"]
    return []


def figures_row(name):
    from deploy.prodcheck.figures import PageType

    return PageType(name=name, requests=0, failures=0, rate=0.0, p50=0.0, p95=0.0)


def report(stats, results, seconds, elapsed, load_before, load_during):
    static = stats.get("static file (nginx)") or figures_row("static file (nginx)")
    print()
    print(
        f"Per page type over {elapsed:.0f} s; beside each, nginx sending a small static file "
        f"under the same load (p50 {static.p50:.0f} ms, p95 {static.p95:.0f} ms). "
        f"Load average {load_before[0]:.2f} before, {load_during[0]:.2f} at the end "
        f"(2 cores, shared with other work)."
    )
    header = f"{'page type':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
    print(header + f"{'p50 ×static':>13}{'p95 ×static':>13}  target")
    for name, row in sorted(stats.items(), key=lambda item: -item[1].requests):
        if name == "Aggregated":
            continue
        target = ""
        if name in TARGETS:
            ok = row.p95 <= TARGETS[name]
            target = f"p95 ≤ {TARGETS[name]} ms {'met' if ok else 'MISSED'}"
        if name == "article":
            ratio = row.p50 / max(static.p50, 1)
            met = "met" if ratio <= CACHED_PAGE_RATIO else "MISSED"
            target += f"; cached ≤ {CACHED_PAGE_RATIO:.0f}× static {met}"
        print(
            f"{name:<22}{row.requests:>9}{row.rate:>8.1f}{row.p50:>8.0f}{row.p95:>8.0f}"
            f"{row.p50 / max(static.p50, 1):>12.1f}×{row.p95 / max(static.p95, 1):>12.1f}×  "
            f"{target}"
        )
    print(f"article pages by page cache status: {results.get('article_cache', {})}")
    print(f"beacon limit probe (one address, past REACH_BEACON_RATE): {results.get('limit_probe')}")
    print()


def gunicorn_requests(access_log):
    """Requests a gunicorn pool answered so far (the rest nginx answered from disk or its
    cache), and how many of them were the channels' feed polls and the page-view beacons."""
    lines = access_log.read_text(errors="replace").splitlines()
    answered = [line for line in lines if ACCESS_LINE.search(line)]
    return Counter(
        all=len(answered),
        feeds=sum(" /feeds/" in line for line in answered),
        beacons=sum(f"POST {BEACON_PATH}" in line for line in answered),
    )


def served_by_pools(layout):
    """What each gunicorn pool answered so far, and (as "nginx") every request nginx passed on
    or answered itself: the one count of beacons that arrived."""
    served = {pool: gunicorn_requests(layout.log_file(pool)) for pool in ("web", "beacon")}
    served["nginx"] = gunicorn_requests(layout.workdir / "nginx" / "access.log")
    return served


def routing_failures(served):
    """Every beacon that reached nginx during the load went to the beacon's own pool (nginx's
    route), none to the web pool (nginx's fall-back when the beacon pool is down). Counted from
    nginx's access log, not Locust's figures, which can miss requests answered as it stops."""
    sent = served["nginx"]["beacons"]
    failures = []
    if served["web"]["beacons"]:
        failures.append(f"the web pool answered {served['web']['beacons']} beacons")
    if served["beacon"]["beacons"] != sent:
        failures.append(f"the beacon pool answered {served['beacon']['beacons']} of {sent} beacons")
    if served["beacon"]["all"] != served["beacon"]["beacons"]:
        others = served["beacon"]["all"] - served["beacon"]["beacons"]
        failures.append(f"the beacon pool answered {others} requests that are not beacons")
    return failures


def report_cpu(cpu, elapsed, served, stats, views):
    """Where the machine's time went during the load: the per-core figures the capacity plan
    (docs/scaling.md) rests on. CPU seconds over wall seconds is cores in use."""
    total = stats["Aggregated"].requests
    web, beacon = served["web"], served["beacon"]
    print(
        f"CPU during the load ({elapsed:.0f} s; Locust's {total} requests, and the channels' "
        f"{web['feeds']} feed polls; gunicorn's web pool answered {web['all']} of all these, "
        f"its beacon pool {beacon['all']}):"
    )
    for part, seconds in sorted(cpu.items(), key=lambda item: -item[1]):
        print(f"  {part:<18}{seconds:>8.1f} CPU s = {seconds / elapsed:>5.2f} cores")
    for pool in ("web", "beacon"):
        answered = served[pool]
        if answered["all"]:
            per_request = cpu[f"gunicorn ({pool})"] / answered["all"] * 1000
            print(
                f"  gunicorn ({pool}) {per_request:.1f} CPU ms per request it answered: "
                f"{1000 / per_request:.0f} such requests/s per core"
            )
    answered = web["all"] + beacon["all"]
    if answered:
        database = cpu["PostgreSQL"] / answered * 1000
        print(f"  PostgreSQL {database:.1f} CPU ms per request gunicorn answered")
    print(f"  nginx {cpu['nginx'] / total * 1000:.2f} CPU ms per request")
    if views:
        cpu = {**cpu, "gunicorn": cpu["gunicorn (web)"] + cpu["gunicorn (beacon)"]}
        per_view = {
            part: cpu[part] / views * 1000
            for part in ("gunicorn", "gunicorn (beacon)", "PostgreSQL", "nginx")
        }
        print(
            f"  per view counted ({views}), everything above included: "
            + ", ".join(f"{part} {ms:.1f} CPU ms" for part, ms in per_view.items())
        )
    print()


def main():
    ports = Ports()
    keep = os.environ.get("PRODCHECK_KEEP") == "1"
    try:
        ports.refuse_taken()
        install_missing_packages(log)
    except CheckFailed as exc:
        print(f"prod-check: not started: {exc}", flush=True)
        return 2
    workdir = Path(os.environ.get("PRODCHECK_DIR") or tempfile.mkdtemp(prefix="prodcheck-"))
    log(f"working in {workdir}")
    try:
        ok = check(workdir, ports)
    except CheckFailed as exc:
        print(f"prod-check: failed to bring the layout up: {exc}", flush=True)
        return 2
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
