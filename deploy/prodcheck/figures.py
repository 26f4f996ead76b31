"""What prod-check reads back after the load: the views the portal counted, the deliveries, the
load generator's figures per page type, and every log line that says something went wrong."""

import csv
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from distribution.models import Delivery
from portal import tasks as portal_tasks
from reach import tasks as reach_tasks
from reach.models import DailyReach

# Lines that mean trouble, per kind of log. A worker killed on purpose leaves nothing of these.
ERROR_LINES = {
    "portal": re.compile(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)"),
    "nginx": re.compile(r"\[(error|crit|alert|emerg)\]"),
    "postgres": re.compile(r"\b(ERROR|FATAL|PANIC):"),
}
ACCESS_5XX = re.compile(r'" 5\d\d ')


def run_on_a_worker(task, timeout=300):
    """Queues the task as the clock does and waits for a task worker to finish it; its return
    value."""
    result = task.enqueue()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return result.return_value
        if result.status == TaskResultStatus.FAILED:
            raise RuntimeError(f"{task.name} failed: {result.errors}")
        time.sleep(0.5)
    raise RuntimeError(f"no task worker ran {task.name} within {timeout} s")


def roll_up():
    """The roll-up, as the clock has the task workers run it."""
    outcome = run_on_a_worker(reach_tasks.roll_up_recent)
    if outcome["failed"]:
        raise RuntimeError(f"the roll-up failed for {outcome['failed']}")


# --- the task worker killed mid-task ---------------------------------------------------------


def running_task(task, worker_ids):
    """The result of a run of ``task`` that one of these workers is running now, or None."""
    running = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.RUNNING
    ).order_by("started_at")
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in worker_ids:
            return result
    return None


def wait_for_running_task(task, worker_ids, deadline, least_seconds):
    """Waits until a worker has been running ``task`` for at least ``least_seconds`` (killing it
    then lands in the middle of its work); None when the deadline came first."""
    while time.monotonic() < deadline:
        result = running_task(task, worker_ids)
        if result and (timezone.now() - result.started_at).total_seconds() >= least_seconds:
            return result
        time.sleep(0.2)
    return None


def recover_killed_task(killed, timeout, log):
    """The task the killed worker was running stays RUNNING (the worker keeps no heartbeat)
    until the clock's recovery, portal.tasks.recover_stale_tasks_task, finds it stale; then it
    is failed as WorkerLost and queued again, and the copy must finish. Waits for it to be
    stale, has a worker run the recovery (as the clock would on its next tick) and waits for the
    copy. Returns the copy's result; raises RuntimeError when the task was not recovered."""
    stale_at = killed.started_at + timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS + 1)
    time.sleep(max(0.0, (stale_at - timezone.now()).total_seconds()))
    run_on_a_worker(portal_tasks.recover_stale_tasks_task)
    killed.refresh_from_db()
    lost = f"{portal_tasks.WorkerLost.__module__}.{portal_tasks.WorkerLost.__qualname__}"
    if killed.status != TaskResultStatus.FAILED or killed.exception_class_path != lost:
        raise RuntimeError(
            f"the killed worker's task {killed.pk} is {killed.status} "
            f"({killed.exception_class_path or 'no exception'}), not failed as WorkerLost"
        )
    copies = DBTaskResult.objects.filter(
        task_path=killed.task_path,
        args_kwargs=killed.args_kwargs,
        enqueued_at__gt=killed.finished_at - timedelta(seconds=1),
    ).exclude(pk=killed.pk)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if copies.filter(status=TaskResultStatus.SUCCESSFUL).exists():
            return copies.filter(status=TaskResultStatus.SUCCESSFUL).first()
        if copies.filter(status=TaskResultStatus.FAILED).exists():
            raise RuntimeError("the killed worker's task, queued again, failed")
        time.sleep(0.5)
    raise RuntimeError(f"the killed worker's task, queued again, did not finish in {timeout} s")


def counted_views(since):
    """Page views in the roll-ups from the day ``since`` on, the figures officials read."""
    rows = DailyReach.objects.filter(date__gte=since)
    if any(field.name == "is_demo" for field in DailyReach._meta.fields):
        rows = rows.filter(is_demo=False)
    return rows.aggregate(total=Sum("views"))["total"] or 0


@dataclass
class DeliveryCount:
    channels: int
    delivered_channels: int
    states: dict


def deliveries(page_id):
    rows = Delivery.objects.filter(distribution__page_id=page_id)
    states = dict(rows.order_by().values_list("state").annotate(n=Count("pk")))
    return DeliveryCount(
        channels=rows.values("channel").distinct().count(),
        delivered_channels=rows.filter(state=Delivery.State.DELIVERED)
        .values("channel")
        .distinct()
        .count(),
        states=states,
    )


def wait_for_deliveries(page_id, expected, timeout, log):
    deadline = time.monotonic() + timeout
    count = deliveries(page_id)
    while time.monotonic() < deadline:
        count = deliveries(page_id)
        undelivered = sum(n for state, n in count.states.items() if state != "delivered")
        if count.delivered_channels >= expected and not undelivered:
            return count
        time.sleep(2)
    log(f"deliveries still open after {timeout} s: {count.states}")
    return count


@dataclass
class PageType:
    name: str
    requests: int
    failures: int
    rate: float
    p50: float
    p95: float


def load_figures(stats_csv):
    """Per request name, from Locust's CSV; the row named Aggregated is the whole load."""
    rows = {}
    with open(stats_csv, newline="") as file:
        for row in csv.DictReader(file):
            rows[row["Name"]] = PageType(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rate=float(row["Requests/s"]),
                p50=float(row["50%"]),
                p95=float(row["95%"]),
            )
    return rows


def error_lines(logs):
    """(file, line) of every line at error level in the portal's, nginx's and PostgreSQL's logs,
    and every 5xx in nginx's access log."""
    found = []
    for kind, paths in logs.items():
        pattern = ACCESS_5XX if kind == "access" else ERROR_LINES[kind]
        for path in paths:
            path = Path(path)
            if not path.exists():
                continue
            for line in path.read_text(errors="replace").splitlines():
                if pattern.search(line):
                    found.append((path.name, line.strip()))
    return found
