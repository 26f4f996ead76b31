from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@task()
def publish_scheduled():
    """Wagtail's scheduled publishing, run by the worker on the clock's schedule."""
    call_command("publish_scheduled", verbosity=0)


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped (killed, machine restarted) mid-run."""


def stale_running_tasks(now=None):
    """Tasks marked RUNNING for longer than any of ours runs: their worker was killed mid-task
    and will never finish them (django-tasks-db keeps no heartbeat)."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS),
    )


def recover_stale_tasks():
    """Mark each stale RUNNING task failed (WorkerLost) and enqueue it again with the same
    arguments: every periodic and background task of the portal may run twice (roll-ups are
    locked and idempotent, deliveries keep their leases and webhook ids). Returns their ids."""
    recovered = []
    for result in stale_running_tasks().order_by("started_at"):
        with transaction.atomic():
            claimed = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: started {result.started_at.isoformat()} by "
                    f"{', '.join(result.worker_ids) or '?'}, still running after "
                    f"{settings.TASKS_STALE_AFTER_SECONDS} s: its worker stopped. Enqueued again."
                ),
            )
            if claimed:
                result.task.enqueue(
                    *result.args_kwargs.get("args", []), **result.args_kwargs.get("kwargs", {})
                )
                recovered.append(str(result.pk))
    return recovered


@task()
def recover_stale_tasks_task():
    """Periodic (clock): tasks left RUNNING by a worker killed mid-task are failed and queued
    again, so they never stay RUNNING forever (/healthz shows them until then)."""
    return recover_stale_tasks()
