"""Corrections reach the channels: republishing a distributed item sends ``item.updated`` to
its webhook channels and updates its feed entry (same id, new updated time), each recorded as a
delivery; 送达 still counts the (channel, item) pair once."""

import json

from django.urls import reverse

from distribution.models import Delivery, Distribution
from tests.distribution.factories import ChannelFactory
from tests.distribution.test_fanout import webhook_channels

State = Delivery.State


def republish(page, title):
    page.title = title
    page.save_revision().publish()
    page.refresh_from_db()


def test_republishing_sends_item_updated_to_webhook_channels(
    article, regions, receiver, editor, drain
):
    (channel,) = webhook_channels(receiver, regions, count=1)
    from distribution import services

    services.distribute(article, editor, everywhere=True)
    drain()
    republish(article, "遇到电信诈骗怎么办（更正版）")
    drain()
    correction = Distribution.objects.get(kind=Distribution.Kind.UPDATE)
    assert correction.deliveries.get().state == State.DELIVERED
    assert receiver.handled[(channel.code, "item.updated", article.pk)] == 1
    updated = [m for _c, _id, m in receiver.messages if m["type"] == "item.updated"]
    assert updated[0]["data"]["title"] == "遇到电信诈骗怎么办（更正版）"
    assert updated[0]["data"]["id"] == article.pk


def test_a_page_never_distributed_sends_nothing_when_republished(article, drain):
    republish(article, "还没分发过")
    drain()
    assert not Distribution.objects.filter(kind=Distribution.Kind.UPDATE).exists()


def test_a_pull_channels_feed_entry_is_updated_in_place(client, article, regions, editor, drain):
    from distribution import services

    channel = ChannelFactory(region=regions["jiangan"])
    token = channel.issue_token()
    services.distribute(article, editor, everywhere=True)
    url = reverse("distribution_feed_json", args=[channel.code])
    first = json.loads(client.get(url, headers={"Authorization": f"Bearer {token}"}).content)
    republish(article, "遇到电信诈骗怎么办（更正版）")
    drain()
    correction = Delivery.objects.get(distribution__kind=Distribution.Kind.UPDATE)
    assert correction.state == State.PENDING  # not delivered until the channel fetches it
    second = json.loads(client.get(url, headers={"Authorization": f"Bearer {token}"}).content)
    (before,) = first["items"]
    (after,) = second["items"]
    assert after["id"] == before["id"] == f"urn:hubei-pufa:item:{article.pk}"
    assert after["title"] == "遇到电信诈骗怎么办（更正版）"
    assert after["date_published"] == before["date_published"]
    assert after["date_modified"] > before["date_modified"]
    correction.refresh_from_db()
    assert correction.state == State.DELIVERED
