"""A real `manage.py db_worker` process killed with SIGKILL in the middle of a fan-out: nothing
is lost, and what may have been sent is sent again with the same webhook-id, so a receiver
that de-duplicates hands each item to its handler exactly once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from distribution import services
from distribution.models import Delivery
from distribution.tasks import recover_deliveries
from tests.distribution.factories import WebhookChannelFactory

State = Delivery.State


def start_worker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "DISTRIBUTION_CONCURRENCY": "2",
        "DISTRIBUTION_REQUEST_TIMEOUT": "5",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.1",
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
    ]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)


def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="shares the SQLite test file")
def test_sigkill_mid_fan_out_loses_nothing(article, regions, receiver, editor, drain):
    receiver.faults.slow_rate = 1.0
    receiver.faults.slow_seconds = 0.4  # every answer takes a while: the kill lands mid-way
    channels = []
    for _ in range(8):
        channel = WebhookChannelFactory(region=regions["yiling"])
        channel.webhook_url = receiver.hook_url(channel.code)
        channel.save()
        receiver.secrets[channel.code] = [channel.signing_secret]
        channels.append(channel)
    distribution = services.distribute(article, editor, channels=channels)

    worker = start_worker()
    try:
        wait_for(lambda: len(receiver.seen_ids) >= 3)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    unfinished = distribution.deliveries.exclude(state=State.DELIVERED)
    assert unfinished.exists(), "the kill came before the fan-out ended"
    assert not distribution.deliveries.filter(state=State.DEAD).exists()

    # The clock's recovery sweep, once the dead worker's leases have run out.
    Delivery.objects.filter(state=State.SENDING).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    receiver.faults.slow_rate = 0
    recover_deliveries.enqueue()
    drain()

    assert sorted(distribution.deliveries.values_list("state", flat=True)) == [State.DELIVERED] * 8
    assert all(receiver.handled[(c.code, "item.published", article.pk)] == 1 for c in channels)
    assert receiver.stats["requests_verified"] == 8 + receiver.stats["duplicates_dropped"]
