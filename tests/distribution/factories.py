"""Factories for distribution: regions (a small piece of Hubei) and channels."""

import factory

from distribution.models import Channel
from geodata.models import Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("adcode",)

    adcode = factory.Sequence(lambda n: 439000 + n)
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Region.Level.COUNTY


def hubei_sample():
    """湖北省, 武汉市 with two districts, 宜昌市 with one county, and 仙桃市 (directly
    administered): enough to tell prefectures from counties."""
    province = RegionFactory(adcode=420000, name="湖北省", level=Region.Level.PROVINCE)
    wuhan = RegionFactory(
        adcode=420100, name="武汉市", level=Region.Level.PREFECTURE, parent=province
    )
    yichang = RegionFactory(
        adcode=420500, name="宜昌市", level=Region.Level.PREFECTURE, parent=province
    )
    xiantao = RegionFactory(
        adcode=429004,
        name="仙桃市",
        level=Region.Level.PREFECTURE,
        parent=province,
        is_directly_administered=True,
    )
    jiangan = RegionFactory(adcode=420102, name="江岸区", level=Region.Level.COUNTY, parent=wuhan)
    wuchang = RegionFactory(adcode=420106, name="武昌区", level=Region.Level.COUNTY, parent=wuhan)
    yiling = RegionFactory(adcode=420506, name="夷陵区", level=Region.Level.COUNTY, parent=yichang)
    return {
        "province": province,
        "wuhan": wuhan,
        "yichang": yichang,
        "xiantao": xiantao,
        "jiangan": jiangan,
        "wuchang": wuchang,
        "yiling": yiling,
    }


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"测试融媒体中心{n}")
    region = factory.SubFactory(RegionFactory)
    kind = Channel.Kind.MEDIA_CENTRE
    delivery_mode = Channel.Mode.PULL


class WebhookChannelFactory(ChannelFactory):
    delivery_mode = Channel.Mode.WEBHOOK
    webhook_url = factory.LazyAttribute(lambda c: f"http://127.0.0.1:9/hooks/{c.code}")
    code = factory.Sequence(lambda n: f"wh{n:04d}")
