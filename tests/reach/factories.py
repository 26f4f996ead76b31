"""Factories for the reach tests (and the browser tests of the map and dashboard)."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from content.roles import OFFICIALS
from distribution.models import Channel, Delivery, Distribution
from geodata.models import Region
from reach.models import DailyReach, OfficialScope, ReportedRead
from tests.factories import UserFactory


def deliver(client, page, *channels, resend=False):
    """Deliver an item to pull channels the real way: a distribution, then each channel fetches
    its feed with its token (which is what makes a pull delivery delivered). Returns it."""
    from django.urls import reverse

    from distribution.services import distribute

    distribution = distribute(page, None, channels=channels, resend=resend)
    for channel in channels:
        response = client.get(
            reverse("distribution_feed_json", args=[channel.code]),
            HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
        )
        assert response.status_code == 200
    return distribution


def region(adcode):
    """Regions are reference data, loaded after every migrate: look them up, never create."""
    return Region.objects.get(pk=adcode)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试融媒体中心{n}")
    code = factory.Sequence(lambda n: f"ch{n:06d}")
    region = factory.LazyFunction(lambda: region(420102))  # 江岸区
    kind = Channel.Kind.MEDIA_CENTRE

    @factory.post_generation
    def token(self, create, extracted, **kwargs):
        """``ChannelFactory(token=True)`` issues a reporting token, kept on ``.plain_token``."""
        if create and extracted:
            self.plain_token = self.issue_token()


class DistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Distribution

    page_title = factory.LazyAttribute(lambda d: d.page.title)
    kind = Distribution.Kind.PUBLISH


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    distribution = factory.SubFactory(DistributionFactory)
    channel = factory.SubFactory(ChannelFactory)
    state = Delivery.State.DELIVERED
    delivered_at = factory.LazyFunction(timezone.now)


class ReportedReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedRead

    channel = factory.SubFactory(ChannelFactory)
    reads = 100


class DailyReachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyReach


class OfficialFactory(UserFactory):
    """A user in the 官员 group, scoped to ``scope`` (a prefecture adcode) or the province."""

    @factory.post_generation
    def scope(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=OFFICIALS))
            OfficialScope.objects.create(user=self, region=region(extracted) if extracted else None)


READER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def page_loads(page, loads, code=None, *, readers=None, days_ago=0, first_reader=1):
    """``loads`` page loads of an item, through the channel's tracked link ``code`` (or none),
    by ``readers`` different people (each a different address; as many as loads by default),
    counted by the function the page hook and the beacon use, on a day ``days_ago``."""
    import datetime

    from django.utils import timezone

    from reach.counting import count_load

    readers = readers or loads
    at = timezone.now() - datetime.timedelta(days=days_ago)
    for n in range(loads):
        reader = first_reader + n % readers
        address = f"198.51.{reader >> 8 & 255}.{reader & 255}"
        count_load(page.pk, address, READER_UA, code, at=at)


def roll_up(*days_ago):
    """The real roll-up of the given days (today by default)."""
    import datetime

    from django.utils import timezone

    from reach.rollup import roll_up_days

    today = timezone.localdate()
    done, failed = roll_up_days([today - datetime.timedelta(days=n) for n in (days_ago or (0,))])
    assert failed == {}
    return done


PREVIOUS_DAYS_AGO = 40  # in the 30 days before the dashboard's default last 30


def reach_in_two_periods(client, article, video, jiangan, yidu):
    """Reach of two items in this period and the one before, through the real pipeline: real
    deliveries fetched by the channels, page loads counted by the counting function, reports
    recorded as the reporting API does, then the real roll-up of both days.

    40 days ago: ``article`` delivered to 江岸, 4 loads by 4 readers there, 江岸 reports 30.
    Today: ``video`` delivered to 江岸 (``article`` was already there: not again), ``article``
    to 宜都; 江岸 loads ``article`` 10 times by 6 readers and ``video`` 3 times by 3; 宜都 7
    loads by 7 others; 2 loads by 2 more without a tracked link; 江岸 reports 50 reads of
    ``video``."""
    import datetime

    import time_machine
    from django.utils import timezone

    from reach.reports import record_report

    before = timezone.now() - datetime.timedelta(days=PREVIOUS_DAYS_AGO)
    with time_machine.travel(before):
        deliver(client, article, jiangan)
    page_loads(article, 4, jiangan.code, days_ago=PREVIOUS_DAYS_AGO)
    record_report(jiangan, timezone.localdate(before), 30, item_id=article.pk)

    deliver(client, video, jiangan)
    deliver(client, article, yidu)
    page_loads(article, 10, jiangan.code, readers=6)
    page_loads(video, 3, jiangan.code)
    page_loads(article, 7, yidu.code, first_reader=100)
    page_loads(article, 2, first_reader=200)
    record_report(jiangan, timezone.localdate(), 50, item_id=video.pk)
    roll_up(0, PREVIOUS_DAYS_AGO)


def reach_in_week(client, article, jiangan, yidu, week_start):
    """Reach of ``article`` in the Monday–Sunday week from ``week_start`` and in the week
    before, through the real pipeline, then the real roll-up of both weeks after they ended
    (the week is final).

    Wednesday of the week before: delivered to 江岸, 2 loads there by 2 readers.
    Wednesday of the week: 6 loads in 江岸 by 4 readers, and 江岸 reports 30 reads of that day.
    Friday of the week: delivered to 宜都, 3 loads there by 3 other readers, and 1 load without
    a tracked link."""
    import datetime

    import time_machine
    from django.utils import timezone

    from reach.reports import record_report
    from reach.rollup import roll_up_days

    def on(day):
        moment = datetime.datetime.combine(day, datetime.time(10))
        return time_machine.travel(timezone.make_aware(moment), tick=True)

    before = week_start - datetime.timedelta(days=5)
    wednesday = week_start + datetime.timedelta(days=2)
    friday = week_start + datetime.timedelta(days=4)
    with on(before):
        deliver(client, article, jiangan)
        page_loads(article, 2, jiangan.code)
    with on(wednesday):
        page_loads(article, 6, jiangan.code, readers=4)
        record_report(jiangan, wednesday, 30, item_id=article.pk)
    with on(friday):
        deliver(client, article, yidu)
        page_loads(article, 3, yidu.code, first_reader=100)
        page_loads(article, 1, first_reader=200)
    days = [week_start - datetime.timedelta(days=7 - n) for n in range(14)]
    done, failed = roll_up_days(days)
    assert failed == {}
