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
