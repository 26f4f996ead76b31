"""Enqueues the periodic tasks named in settings.PERIODIC_TASKS on their intervals. The work itself
runs in the task worker; this process only keeps time, so it stays small and restartable. A task
whose previous run is still waiting or running is not enqueued again: a slow roll-up is never
joined by a queue of copies of itself."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def still_queued_or_running(path):
    return DBTaskResult.objects.filter(
        task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()


class Command(BaseCommand):
    help = "按 PERIODIC_TASKS 设置定时把周期任务放入任务队列（由 db_worker 执行）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务各入队一次后退出")

    def handle(self, *args, once=False, **options):
        schedule = {
            path: (import_string(path), interval)
            for path, interval in settings.PERIODIC_TASKS.items()
        }
        next_run = dict.fromkeys(schedule, 0.0)
        while True:
            now = time.monotonic()
            for path, (task, interval) in schedule.items():
                if now >= next_run[path]:
                    if not still_queued_or_running(task.module_path):
                        task.enqueue()
                    next_run[path] = now + interval
            if once:
                return
            time.sleep(1)
