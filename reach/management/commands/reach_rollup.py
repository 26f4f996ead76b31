"""manage.py reach_rollup: bring the reach figures up to date now, for operators. With no
argument it rolls up every day that may have changed (today included); it waits for a roll-up of
the same day already running rather than skipping it, and a day that fails is reported while the
others still roll up (exit status 1)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reach.rollup import days_to_roll_up, roll_up_days


def day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期须为 YYYY-MM-DD 格式：{value}") from None


class Command(BaseCommand):
    help = (
        "汇总触达数字：不带参数时汇总所有可能有变化的日期（含今天）；"
        "--date 只汇总一天；--since 汇总某日至今"
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--date", type=day, help="只汇总这一天（YYYY-MM-DD）")
        which.add_argument("--since", type=day, help="汇总从这一天到今天的每一天（YYYY-MM-DD）")

    def handle(self, *args, date=None, since=None, **options):
        today = timezone.localdate()
        for given in (date, since):
            if given is not None and given > today:
                raise CommandError(f"不能汇总未来的日期：{given}（今天是 {today}）")
        if date is not None:
            days = [date]
        elif since is not None:
            days = [since + datetime.timedelta(days=n) for n in range((today - since).days + 1)]
        else:
            days = days_to_roll_up(today)
        # Said before the work, so one can see a roll-up waiting for another of the same day.
        self.stdout.write(f"汇总 {len(days)} 天（{days[0]} 至 {days[-1]}）…")
        self.stdout.flush()
        done, failed = roll_up_days(days)
        for rolled, events in done.items():
            self.stdout.write(f"{rolled}：已汇总（{events:,} 条原始浏览记录）")
        for bad, error in failed.items():
            self.stderr.write(f"{bad}：汇总失败：{error}")
        if failed:
            raise CommandError(f"{len(failed)} 天汇总失败，其余 {len(done)} 天已汇总")
        self.stdout.write(self.style.SUCCESS(f"共汇总 {len(done)} 天"))
