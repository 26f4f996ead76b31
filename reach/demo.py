"""Demo reach for `manage.py load_demo`: two weeks of activity replayed through the real code,
each step at its own time, so that every figure on the map, the dashboard and the API comes out
of the real pipeline and nothing is written into a reporting table by hand:

- each demo item is distributed to all 116 channels with the real one-click distribution; the 30
  webhook channels receive it through the real sending code, signed, and checked by the demo
  receiver's own code (in this process: the demo must not need the receiver running); the 86 pull
  channels fetch their real feeds with their tokens;
- readers open items through the channels' tracked links (``?ch=``) and directly, counted by the
  function the page hook and the beacon use (some loads come from a cache: the beacon counts
  them; some are rendered and confirmed by their beacon: counted once);
- some channels report their reads of the day before through the real report path;
- the real roll-up then rolls every day up.

Seeded, so every load gives the same figures. The install is then marked as holding demo data
(``DemoInstall``): the API says ``"demo": true`` and the dashboard, map and export say it too.
Also creates two demo official accounts."""

import datetime
import math
import random
from urllib.parse import urlsplit

import httpx
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from content.models import ArticlePage, VideoPage
from content.roles import OFFICIALS
from distribution.demo import demo_channels, demo_token
from distribution.models import Channel, Delivery
from distribution.receiver import Faults, Receiver
from distribution.services import DistributionError, distribute, send_due
from geodata.models import Region
from reach import counting, reports, rollup, weekly
from reach.models import DemoInstall, OfficialScope, WeeklyReport

DEMO_DAYS = 14
SEED = 20260501
# Page loads per million residents of a channel's prefecture, per item, per day, at the peak.
LOADS_PER_MILLION = 0.8
INTEREST_HALF_LIFE_DAYS = 4
# Of all loads: share that reach an item directly (no tracked link: region unknown).
DIRECT_SHARE = 0.2
# A reader opens an item again the same day with this probability (views > visitors).
REPEAT_SHARE = 0.25
# Loads served from a cache (only the beacon counts them) and rendered loads whose beacon runs.
CACHED_SHARE = 0.15
BEACON_SHARE = 0.6
# Channels that report their own reads, and how many of their reads per portal view.
REPORTING_SHARE = 0.3
REPORTED_READS_PER_LOAD = 40
REPORTED_ITEMS = 3
# Channels began reporting this many days ago.
REPORTING_DAYS = 7
WEBHOOK_FAULT_RATE = 0.04
AGENTS = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 Edg/126.0",
    "Mozilla/5.0 (Linux; Android 13; V2218A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
)
# `official` is the content demo's 官员 account: here it gets its province-wide scope.
# username, scope (None: the province), (名, 姓) as the account form asks for both
DEMO_OFFICIALS = [
    ("official", None, ("演示", "官员")),
    ("official-wuhan", 420100, ("武汉", "官员")),
]


def load(stdout, reset=False):
    if reset:
        DemoInstall.objects.all().delete()
        for report in WeeklyReport.objects.all():  # of the figures being replaced
            weekly.discard(report)
    load_officials(stdout)
    if DemoInstall.objects.exists():
        stdout.write("  触达演示数据已存在，跳过（--reset 可重新生成）")
    else:
        replay_demo(stdout)
    load_weekly_reports(stdout)


def replay_demo(stdout):
    items = list(Page.objects.live().type(ArticlePage, VideoPage).order_by("pk"))
    channels = list(demo_channels().filter(active=True).select_related("region__parent"))
    if not items or not channels:
        stdout.write("  没有内容或渠道，未生成触达演示数据")
        return
    replay = Replay(items, channels, stdout)
    replay.run()
    DemoInstall.objects.create()
    stdout.write(
        f"  触达演示数据（经真实统计流程）：{len(items)} 条内容分发到 {len(channels)} 个渠道，"
        f"{DEMO_DAYS} 天，{replay.loads} 次页面加载，{replay.reports} 条渠道上报，"
        f"{replay.rolled} 天已汇总"
    )


def load_weekly_reports(stdout):
    """Last week's reports, made by the clock's own builder (the demo's days cover the week)."""
    start, end = weekly.last_full_week()
    outcomes = weekly.make_missing_reports()
    if not outcomes:
        stdout.write(f"  {end} 尚未在周末之后汇总，周报待定时任务生成")
        return
    said = "、".join(f"{scope}（{outcome.label}）" for scope, outcome in outcomes.items())
    stdout.write(f"  每周报告 {start} 至 {end}：{said}")


class Replay:
    """The demo's two weeks, day by day, at the time each thing happens."""

    def __init__(self, items, channels, stdout):
        self.items = items
        self.channels = channels
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.days = [self.today - datetime.timedelta(days=n) for n in range(DEMO_DAYS - 1, -1, -1)]
        self.audience = channel_audiences(channels)
        self.reporting = [c for c in channels if self.rng.random() < REPORTING_SHARE]
        self.distributed = {}  # item pk → the day it was distributed
        self.readers = {}  # channel pk → its readers (address, user agent)
        self.daily_loads = {}  # (day, item pk, channel pk) → loads
        self.loads = self.reports = self.rolled = 0
        self.editor = get_user_model().objects.filter(username="editor").first()
        self.feeds = Client(SERVER_NAME=urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname)

    def at(self, day, hour, minute=0):
        moment = datetime.datetime.combine(day, datetime.time(hour, minute))
        return min(timezone.make_aware(moment), timezone.now())

    def run(self):
        webhooks = InProcessReceiver(self.channels)
        try:
            for day in self.days:
                with time_machine.travel(self.at(day, 8), tick=True):
                    self.distribute(day, webhooks)
                with time_machine.travel(self.at(day, 8, 30), tick=True):
                    self.fetch_feeds()
                if day > self.today - datetime.timedelta(days=REPORTING_DAYS):
                    with time_machine.travel(self.at(day, 9), tick=True):
                        self.report(day - datetime.timedelta(days=1))
                self.read(day)
        finally:
            webhooks.close()
        counting.delete_past_salts()
        done, failed = rollup.roll_up_days(self.days)
        self.rolled = len(done)
        for day, error in failed.items():
            self.stdout.write(f"  {day} 汇总失败：{error}")

    def distribute(self, day, webhooks):
        for item in self.items:
            published = reports.first_published_day(item)
            if item.pk in self.distributed or (published and published > day):
                continue
            self.distributed[item.pk] = day
            try:
                distribution = distribute(item, self.editor, everywhere=True)
            except DistributionError:  # every channel has it already (an earlier demo)
                continue
            send_due(distribution.pk, client=webhooks.client)

    def fetch_feeds(self):
        """Each pull channel with something new fetches its feed, as its site would."""
        waiting = set(
            Delivery.objects.filter(
                state=Delivery.State.PENDING, channel__delivery_mode=Channel.Mode.PULL
            ).values_list("channel__code", flat=True)
        )
        for code in sorted(waiting):
            self.feeds.get(
                reverse("distribution_feed_json", args=[code]),
                HTTP_AUTHORIZATION=f"Bearer {demo_token(code)}",
            )

    def read(self, day):
        """The day's readers: through each channel's tracked link, and directly."""
        for item in (item for item in self.items if item.pk in self.distributed):
            age = (day - self.distributed[item.pk]).days
            interest = 0.5 ** (age / INTEREST_HALF_LIFE_DAYS)
            direct = 0
            for channel in self.channels:
                mean = self.audience[channel.pk] / 1e6 * LOADS_PER_MILLION * interest
                loads = poisson(self.rng, mean)
                self.daily_loads[day, item.pk, channel.pk] = loads
                for _ in range(loads):
                    self.load(day, item, channel)
                direct += loads
            for _ in range(poisson(self.rng, direct * DIRECT_SHARE / (1 - DIRECT_SHARE))):
                self.load(day, item, None)

    def reader(self, channel):
        pool = self.readers.setdefault(channel.pk if channel else None, [])
        if pool and self.rng.random() < REPEAT_SHARE:
            return self.rng.choice(pool)
        n = len(self.readers) * 10_000 + len(pool)
        reader = (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", self.rng.choice(AGENTS))
        pool.append(reader)
        return reader

    def load(self, day, item, channel):
        address, agent = self.reader(channel)
        code = channel.code if channel else None
        moment = self.at(day, 9) + datetime.timedelta(seconds=self.rng.randrange(14 * 3600))
        moment = min(moment, timezone.now())
        if self.rng.random() < CACHED_SHARE:
            counting.count_beacon(item.pk, address, agent, code, None, at=moment)
        else:
            load = counting.count_load(item.pk, address, agent, code, at=moment)
            if self.rng.random() < BEACON_SHARE:
                counting.count_beacon(item.pk, address, agent, code, load, at=moment)
        self.loads += 1

    def report(self, day):
        """Reporting channels send yesterday's reads of the most recent items."""
        recent = sorted(self.distributed, key=self.distributed.get)[-REPORTED_ITEMS:]
        for channel in self.reporting:
            for item_id in recent:
                loads = self.daily_loads.get((day, item_id, channel.pk))
                if loads is None:
                    continue
                reads = round(loads * REPORTED_READS_PER_LOAD * math.exp(self.rng.gauss(0, 0.3)))
                reports.record_report(channel, day, reads, item_id=item_id)
                self.reports += 1


class InProcessReceiver:
    """The demo receiver's own checking code (signature, de-duplication, a few failures) behind
    an HTTP client, in this process: the webhooks are really signed, sent and answered, without
    the receiver's server having to run while the demo loads."""

    def __init__(self, channels):
        secrets = {c.code: c.signing_secrets() for c in channels if c.is_webhook}
        self.receiver = Receiver(
            secrets.get, Faults(error_rate=WEBHOOK_FAULT_RATE, seed=SEED), port=0
        )
        self.client = httpx.Client(transport=httpx.MockTransport(self.handle))

    def handle(self, request):
        code = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        headers = {key.lower(): value for key, value in request.headers.items()}
        status, text, _fault = self.receiver.receive(code, request.content, headers)
        return httpx.Response(status, json={"status": text})

    def close(self):
        self.client.close()
        self.receiver.server.server_close()


def channel_audiences(channels):
    """Residents each channel speaks to, for the demo's loads: an even share of its
    prefecture's census population among the prefecture's channels. A prefecture without a
    census figure gets no demo readers (no population is ever invented)."""
    by_prefecture = {}
    for channel in channels:
        prefecture = channel.region.prefecture or channel.region
        by_prefecture.setdefault(prefecture, []).append(channel)
    return {
        channel.pk: (prefecture.population or 0) / len(members)
        for prefecture, members in by_prefecture.items()
        for channel in members
    }


def poisson(rng, mean):
    """A whole number of events with the given mean (Knuth's method; the means here are small)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def load_officials(stdout):
    group = Group.objects.get(name=OFFICIALS)
    User = get_user_model()
    for username, adcode, (first_name, last_name) in DEMO_OFFICIALS:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
        if created or not user.last_name:
            user.first_name, user.last_name = first_name, last_name
            user.save()
        user.groups.add(group)
        region = Region.objects.filter(pk=adcode).first() if adcode else None
        OfficialScope.objects.update_or_create(user=user, defaults={"region": region})
    stdout.write("  演示官员账号：official（全省）、official-wuhan（武汉市）")
