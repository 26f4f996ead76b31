"""manage.py demo_receiver: plays the channels of the demo on this machine. It receives the
webhooks of the webhook channels (verifying each signature with standardwebhooks,
de-duplicating on webhook-id, injecting a share of faults), and every few seconds fetches the
feeds of the pull channels with their tokens, so deliveries turn green in the status page."""

import random
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.urls import reverse

from distribution.demo import demo_channels, demo_token
from distribution.models import Channel
from distribution.receiver import Faults, Receiver


class Command(BaseCommand):
    help = (
        "演示接收端：校验 Webhook 签名、按 webhook-id 去重、注入故障，并定时拉取各拉取渠道的订阅源"
    )

    def add_arguments(self, parser):
        default = urlsplit(settings.DISTRIBUTION_DEMO_RECEIVER_URL)
        parser.add_argument("--host", default=default.hostname or "127.0.0.1")
        parser.add_argument("--port", type=int, default=default.port or 8001)
        parser.add_argument("--site", default=settings.WAGTAILADMIN_BASE_URL, help="门户地址")
        parser.add_argument("--error-rate", type=float, default=0.15, help="返回 500 的比例")
        parser.add_argument(
            "--timeout-rate", type=float, default=0.03, help="处理后超时才应答的比例"
        )
        parser.add_argument("--slow-rate", type=float, default=0.1, help="慢应答的比例")
        parser.add_argument("--slow-seconds", type=float, default=1.5)
        parser.add_argument(
            "--hang-seconds",
            type=float,
            default=settings.DISTRIBUTION_REQUEST_TIMEOUT + 2,
            help="超时故障时等待多久才应答（应大于发送方超时）",
        )
        parser.add_argument("--pull-interval", type=float, default=5.0, help="拉取订阅源的间隔秒数")
        parser.add_argument(
            "--pull-skip-rate",
            type=float,
            default=0.3,
            help="每轮不去拉取的渠道比例（模拟各渠道不同步）",
        )
        parser.add_argument("--no-pull", action="store_true", help="只接收推送，不拉取订阅源")

    def handle(self, **options):
        self.secrets = {}
        self.refresh_secrets()
        faults = Faults(
            error_rate=options["error_rate"],
            timeout_rate=options["timeout_rate"],
            slow_rate=options["slow_rate"],
            slow_seconds=options["slow_seconds"],
            hang_seconds=options["hang_seconds"],
        )
        receiver = Receiver(
            lambda code: self.secrets.get(code),
            faults,
            host=options["host"],
            port=options["port"],
            log=lambda line: self.stdout.write(f"webhook {line}"),
        ).start()
        self.stdout.write(
            f"演示接收端在 {receiver.url}/hooks/<渠道代码> 接收推送"
            f"（{len(self.secrets)} 个推送渠道）；"
            f"故障：500 {faults.error_rate:.0%}，超时 {faults.timeout_rate:.0%}，"
            f"慢应答 {faults.slow_rate:.0%}"
        )
        client = httpx.Client(timeout=10.0)
        etags = {}
        try:
            while True:
                self.refresh_secrets()
                if not options["no_pull"]:
                    self.pull_feeds(client, options["site"], options["pull_skip_rate"], etags)
                close_old_connections()
                time.sleep(options["pull_interval"])
        except KeyboardInterrupt:
            pass
        finally:
            client.close()
            receiver.stop()
            self.stdout.write(f"已停止；统计：{dict(receiver.stats)}")

    def refresh_secrets(self):
        """Each webhook channel's keys (current, and the old one during a rotation)."""
        # Swapped whole, so a request never sees a half-filled table.
        self.secrets = {
            c.code: c.signing_secrets()
            for c in Channel.objects.filter(delivery_mode=Channel.Mode.WEBHOOK)
        }

    def pull_feeds(self, client, site, skip_rate, etags):
        channels = demo_channels().filter(delivery_mode=Channel.Mode.PULL, active=True)
        fetched = changed = 0
        for channel in channels:
            if random.random() < skip_rate:  # noqa: S311 - simulation, not security
                continue
            url = site.rstrip("/") + reverse("distribution_feed_json", args=[channel.code])
            headers = {"Authorization": f"Bearer {demo_token(channel.code)}"}
            if channel.code in etags:
                headers["If-None-Match"] = etags[channel.code]
            try:
                response = client.get(url, headers=headers)
            except httpx.HTTPError as exc:
                self.stderr.write(f"拉取失败 {channel.code}: {exc}")
                return  # the portal is not up yet; try again next round
            fetched += 1
            if response.status_code == 200:
                changed += 1
                etags[channel.code] = response.headers.get("ETag", "")
        if changed:
            self.stdout.write(f"拉取订阅源 {fetched} 个，其中 {changed} 个有更新")
