"""What prod-check reads back after the load: the views the portal counted, the deliveries, the
load generator's figures per page type, and every log line that says something went wrong."""

import csv
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management import get_commands
from django.db.models import Count, Sum
from django_tasks.base import TaskResultStatus

from distribution.models import Delivery
from reach import tasks as reach_tasks
from reach.models import DailyReach

# Lines that mean trouble, per kind of log. A worker killed on purpose leaves nothing of these.
ERROR_LINES = {
    "portal": re.compile(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)"),
    "nginx": re.compile(r"\[(error|crit|alert|emerg)\]"),
    "postgres": re.compile(r"\b(ERROR|FATAL|PANIC):"),
}
ACCESS_5XX = re.compile(r'" 5\d\d ')


def roll_up(timeout=300):
    """The roll-up, as the clock has the task workers run it; waits for its result."""
    if "reach_rollup" in get_commands():
        from django.core.management import call_command

        call_command("reach_rollup", verbosity=0)
        return
    result = reach_tasks.roll_up_recent.enqueue()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return
        if result.status == TaskResultStatus.FAILED:
            raise RuntimeError(f"the roll-up failed: {result.errors}")
        time.sleep(0.5)
    raise RuntimeError("no task worker ran the roll-up")


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
