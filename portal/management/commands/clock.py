"""Enqueues the periodic tasks named in settings.PERIODIC_TASKS on their intervals. The work itself
runs in the task worker; this process only keeps time, so it stays small and restartable."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "按 PERIODIC_TASKS 设置定时把周期任务放入任务队列（由 db_worker 执行）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务各入队一次后退出")

    def handle(self, *args, once=False, **options):
        schedule = {
            import_string(path): interval for path, interval in settings.PERIODIC_TASKS.items()
        }
        next_run = dict.fromkeys(schedule, 0.0)
        while True:
            now = time.monotonic()
            for task, interval in schedule.items():
                if now >= next_run[task]:
                    task.enqueue()
                    next_run[task] = now + interval
            if once:
                return
            time.sleep(1)
