"""Demo reach figures for `manage.py load_demo`: 90 days of views and channel reports for the demo
items across all channels, seeded (the same every run), proportional to population with noise.
Every row is flagged ``is_demo`` (shown as 演示数据 in the admin and on the dashboard) and
``--reset`` removes exactly those rows. Also creates two demo official accounts."""

import datetime
import math
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from content.models import ArticlePage, VideoPage
from content.roles import OFFICIALS
from geodata.models import Region
from reach.models import DailyReach, OfficialScope, ReportedRead
from reach.rollup import roll_up_day

DEMO_DAYS = 90
SEED = 20260501
# Portal views per resident per item per day at launch, and how much more channels report.
VIEWS_PER_RESIDENT = 2e-5
REPORTED_READS_PER_VIEW = 6
INTEREST_HALF_LIFE_DAYS = 12
UNKNOWN_REGION_SHARE = 0.2
REPORTING_CHANNEL_SHARE = 0.8
# `official` is the content demo's 官员 account: here it gets its province-wide scope.
DEMO_OFFICIALS = [("official", None), ("official-wuhan", 420100)]


def load(stdout, reset=False):
    from distribution.models import Channel

    if reset:
        DailyReach.objects.filter(is_demo=True).delete()
        ReportedRead.objects.filter(is_demo=True).delete()
    load_officials(stdout)
    if DailyReach.objects.filter(is_demo=True).exists():
        stdout.write("  触达演示数据已存在，跳过（--reset 可重新生成）")
        return
    items = list(Page.objects.live().type(ArticlePage, VideoPage).order_by("pk")[:30])
    channels = list(Channel.objects.select_related("region__parent").order_by("pk"))
    if not items or not channels:
        stdout.write("  没有内容或渠道，未生成触达演示数据")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(DEMO_DAYS - 1, -1, -1)]
    audience = channel_audiences(channels)
    launched = {item.pk: rng.randrange(DEMO_DAYS) for item in items}
    reporting = {c.pk for c in channels if rng.random() < REPORTING_CHANNEL_SHARE}
    views_rows, reports = [], []
    for index, day in enumerate(days):
        for item in items:
            age = index - launched[item.pk]
            if age < 0:
                continue
            interest = VIEWS_PER_RESIDENT * 0.5 ** (age / INTEREST_HALF_LIFE_DAYS)
            day_total = 0
            for channel in channels:
                views = noisy(rng, audience[channel.pk] * interest)
                day_total += views
                if views:
                    views_rows.append(
                        DailyReach(
                            date=day,
                            page=item,
                            region_id=channel.region_id,
                            channel=channel,
                            views=views,
                            is_demo=True,
                        )
                    )
                if channel.pk in reporting:
                    reads = noisy(rng, audience[channel.pk] * interest * REPORTED_READS_PER_VIEW)
                    reports.append(
                        ReportedRead(
                            channel=channel, page=item, date=day, reads=reads, is_demo=True
                        )
                    )
            unknown = noisy(rng, day_total * UNKNOWN_REGION_SHARE)
            if unknown:
                views_rows.append(DailyReach(date=day, page=item, views=unknown, is_demo=True))
    DailyReach.objects.bulk_create(views_rows, batch_size=5000)
    ReportedRead.objects.bulk_create(reports, batch_size=5000, ignore_conflicts=True)
    for day in days:
        roll_up_day(day)
    stdout.write(
        f"  触达演示数据：{len(items)} 条内容 × {len(channels)} 个渠道 × {DEMO_DAYS} 天，"
        f"{len(views_rows)} 行浏览汇总，{len(reports)} 条渠道上报"
    )


def channel_audiences(channels):
    """Residents each channel speaks to: an even share of its prefecture's census population
    among the prefecture's channels (demo data only; county populations stay unknown)."""
    by_prefecture = {}
    for channel in channels:
        prefecture = channel.region.prefecture or channel.region
        by_prefecture.setdefault(prefecture, []).append(channel)
    return {
        channel.pk: (prefecture.population or 1_000_000) / len(members)
        for prefecture, members in by_prefecture.items()
        for channel in members
    }


def noisy(rng, mean):
    """A whole number near ``mean`` (log-normal noise, so never negative)."""
    if mean <= 0:
        return 0
    return int(round(mean * math.exp(rng.gauss(0, 0.35))))


def load_officials(stdout):
    group = Group.objects.get(name=OFFICIALS)
    User = get_user_model()
    for username, adcode in DEMO_OFFICIALS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "演示官员", "is_staff": True}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        region = Region.objects.filter(pk=adcode).first() if adcode else None
        OfficialScope.objects.update_or_create(user=user, defaults={"region": region})
    stdout.write("  演示官员账号：official（全省）、official-wuhan（武汉市）")
