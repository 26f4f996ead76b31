"""manage.py distribute <page id> [--prefecture 420100 …] — the 一键分发全省 button from the
command line, with a progress bar while the task worker delivers."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm
from wagtail.models import Page

from distribution import services
from distribution.models import Channel, Delivery
from geodata.models import Region

SETTLED = [Delivery.State.DELIVERED, Delivery.State.DEAD]


class Command(BaseCommand):
    help = "把一篇已发布的文章或视频分发到全省（或指定市州、县市区、渠道），并显示送达进度"

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="页面 ID")
        parser.add_argument(
            "--prefecture", action="append", default=[], help="市州（代码或名称），可重复"
        )
        parser.add_argument(
            "--county", action="append", default=[], help="县市区（代码或名称），可重复"
        )
        parser.add_argument("--channel", action="append", default=[], help="渠道跟踪代码，可重复")
        parser.add_argument("--resend", action="store_true", help="向已收到的渠道再发送一次")
        parser.add_argument(
            "--inline",
            action="store_true",
            help="在本进程内发送（没有运行 db_worker 时使用）；默认交给任务队列",
        )
        parser.add_argument("--no-wait", action="store_true", help="创建分发后立即退出")
        parser.add_argument("--timeout", type=float, default=600, help="最多等待秒数")

    def handle(self, page_id, **options):
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"没有 ID 为 {page_id} 的页面")
        regions = [self.region(v, Region.Level.PREFECTURE) for v in options["prefecture"]]
        regions += [self.region(v, Region.Level.COUNTY) for v in options["county"]]
        channels = list(Channel.objects.filter(code__in=options["channel"]))
        missing = set(options["channel"]) - {c.code for c in channels}
        if missing:
            raise CommandError(f"没有这些渠道：{', '.join(sorted(missing))}")
        everywhere = not (regions or channels)
        try:
            distribution = services.distribute(
                page,
                None,
                regions=regions,
                channels=channels,
                everywhere=everywhere,
                resend=options["resend"],
            )
        except services.DistributionError as exc:
            raise CommandError(exc.message) from exc
        deliveries = distribution.deliveries
        pushed = deliveries.filter(channel__delivery_mode=Channel.Mode.WEBHOOK)
        self.stdout.write(
            f"分发 #{distribution.pk}《{distribution.page_title}》：{deliveries.count()} 个渠道"
            f"（推送 {pushed.count()}，拉取 {deliveries.count() - pushed.count()}；"
            f"跳过已收到的 {distribution.skipped_count} 个）"
        )
        if options["no_wait"]:
            return
        self.watch(distribution, pushed, options["inline"], options["timeout"])

    def region(self, value, level):
        query = Q(name=value) | Q(name__startswith=value)
        if value.isdigit():
            query = Q(adcode=int(value))
        region = Region.objects.filter(query).first()
        if region is None:
            raise CommandError(f"没有这个地区：{value}")
        if level == Region.Level.PREFECTURE and region.level != Region.Level.PREFECTURE:
            raise CommandError(f"{region.name} 不是市州级单位，请用 --county")
        return region

    def watch(self, distribution, pushed, inline, timeout):
        total = pushed.count()
        deadline = time.monotonic() + timeout
        with tqdm(total=total, desc="推送送达", unit="渠道", file=self.stdout) as bar:
            while True:
                if inline:
                    services.send_due(distribution.pk)
                settled = pushed.filter(state__in=SETTLED).count()
                bar.update(settled - bar.n)
                if settled >= total or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        counts = {
            label: distribution.deliveries.filter(state=state).count()
            for state, label in Delivery.State.choices
        }
        self.stdout.write("；".join(f"{label} {n}" for label, n in counts.items() if n))
        if pushed.exclude(state__in=SETTLED).exists():
            self.stdout.write(
                self.style.WARNING(
                    "还有推送未结束：请确认任务进程（db_worker）在运行，或使用 --inline"
                )
            )
