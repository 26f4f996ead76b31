"""The command line: `distribute` with a progress bar, and the demo's 116 channels."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from distribution.demo import demo_channels, demo_token, load
from distribution.models import Channel, Delivery, channel_for_token
from geodata.models import Region
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory


def test_distribute_command_to_one_prefecture(article, regions):
    ChannelFactory(region=regions["yiling"])
    ChannelFactory(region=regions["jiangan"])
    out = StringIO()
    call_command("distribute", article.pk, "--prefecture", "宜昌市", "--no-wait", stdout=out)
    assert "1 个渠道" in out.getvalue()
    assert Delivery.objects.get().channel.region == regions["yiling"]


def test_distribute_command_sends_inline_with_progress(article, regions, receiver):
    channel = WebhookChannelFactory(region=regions["wuhan"])
    channel.webhook_url = receiver.hook_url(channel.code)
    channel.save()
    receiver.secrets[channel.code] = [channel.signing_secret]
    out = StringIO()
    call_command("distribute", article.pk, "--inline", stdout=out)
    assert "推送送达" in out.getvalue()
    assert "已送达 1" in out.getvalue()


def test_distribute_command_errors_are_clear(article, regions):
    with pytest.raises(CommandError, match="没有 ID 为 999999 的页面"):
        call_command("distribute", 999999)
    with pytest.raises(CommandError, match="没有可用的渠道"):
        call_command("distribute", article.pk, "--no-wait")
    with pytest.raises(CommandError, match="不是市州级单位"):
        call_command("distribute", article.pk, "--prefecture", "420102")


@pytest.mark.django_db
def test_demo_loader_makes_one_channel_per_region_and_is_idempotent():
    if Region.objects.prefecture_level().count() != 17:
        pytest.skip("the 116 regions are loaded by migrate from geodata/data/")
    load(StringIO())
    load(StringIO())
    channels = demo_channels()
    assert channels.count() == 116
    assert channels.values("region").distinct().count() == 116
    webhooks = channels.filter(delivery_mode=Channel.Mode.WEBHOOK)
    assert 0 < webhooks.count() < channels.count() / 2  # most pull
    assert all(c.webhook_url.startswith("http://127.0.0.1:8001/hooks/") for c in webhooks)
    some = channels.first()
    assert channel_for_token(demo_token(some.code)) == some
    load(StringIO(), reset=True)
    assert demo_channels().count() == 116
