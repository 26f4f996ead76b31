"""Factories for the reach tests (and the browser tests of the map and dashboard)."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from content.roles import OFFICIALS
from distribution.models import Channel, Delivery, Distribution
from geodata.models import Region
from reach.models import DailyReach, OfficialScope, ReportedRead
from tests.factories import UserFactory


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
