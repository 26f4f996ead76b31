"""manage.py weekly_report: make the officials' missing weekly reports now, as the clock's hourly
task does: last week's by default, or the week of a given date. A report that exists, or that
another process is making, is left alone."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reach import weekly
from reach.management.commands.reach_rollup import day


class Command(BaseCommand):
    help = "生成官员的每周报告（Excel 报表和地图图片）：默认上一周（周一至周日），已有的不重复生成"

    def add_arguments(self, parser):
        parser.add_argument("--week", type=day, help="生成这一天所在的那一周（YYYY-MM-DD）")

    def handle(self, *args, week=None, **options):
        start, end = weekly.week_of(week) if week else weekly.last_full_week()
        if end >= timezone.localdate():
            raise CommandError(f"{start} 至 {end} 这一周尚未结束")
        self.stdout.write(f"每周报告：{start} 至 {end} …")
        self.stdout.flush()
        outcomes = weekly.make_missing_reports(week=start)
        if not outcomes:
            raise CommandError(f"{end} 尚未在周末之后汇总，周报稍后由定时任务生成")
        for scope, outcome in outcomes.items():
            self.stdout.write(f"{scope}：{outcome.label}")
