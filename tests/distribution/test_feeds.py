"""Pull channels: RSS 2.0 and JSON Feed 1.1 behind the channel's token, conditional, and a
delivery counts as delivered only when the channel fetched the feed with the item in it."""

import json
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from distribution import services
from distribution.models import Delivery, DeliveryAttempt
from tests.distribution.factories import ChannelFactory

State = Delivery.State


@pytest.fixture
def pull_channel(regions):
    channel = ChannelFactory(region=regions["jiangan"], name="江岸区融媒体中心")
    channel.token = channel.issue_token()
    return channel


def fetch(client, channel, fmt="json", token=None, **headers):
    name = "distribution_feed_json" if fmt == "json" else "distribution_feed_rss"
    token = channel.token if token is None else token
    return client.get(
        reverse(name, args=[channel.code]), headers={"Authorization": f"Bearer {token}", **headers}
    )


def test_feed_needs_the_channel_token(client, pull_channel):
    url = reverse("distribution_feed_json", args=[pull_channel.code])
    response = client.get(url)
    assert response.status_code == 401
    assert "令牌" in response.content.decode()
    assert fetch(client, pull_channel, token="pfc_wrong").status_code == 401


def test_a_token_reads_only_its_own_channel_feed(client, pull_channel, regions):
    other = ChannelFactory(region=regions["yiling"])
    response = client.get(
        reverse("distribution_feed_json", args=[other.code]),
        headers={"Authorization": f"Bearer {pull_channel.token}"},
    )
    assert response.status_code == 403


def test_fetching_the_feed_delivers_the_item_with_the_fetch_time(
    client, article, pull_channel, editor
):
    distribution = services.distribute(article, editor, channels=[pull_channel])
    delivery = distribution.deliveries.get()
    assert delivery.state == State.PENDING

    response = fetch(client, pull_channel)

    assert response.status_code == 200
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    (item,) = feed["items"]
    assert item["title"] == "遇到电信诈骗怎么办"
    assert item["url"].endswith(f"?ch={pull_channel.code}")
    assert item["_pufa"]["distribution_id"] == distribution.pk
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    attempt = delivery.attempts.get()
    assert attempt.kind == DeliveryAttempt.Kind.FEED_FETCH
    assert attempt.started_at == delivery.delivered_at


def test_rss_feed_carries_the_item(client, article, pull_channel, editor):
    services.distribute(article, editor, channels=[pull_channel])
    response = fetch(client, pull_channel, fmt="rss")
    assert response.status_code == 200
    rss = ElementTree.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    item = rss.find("channel/item")
    assert item.findtext("title") == "遇到电信诈骗怎么办"
    assert item.findtext("link").endswith(f"?ch={pull_channel.code}")
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert "110" in content


def test_conditional_requests_answer_304(client, article, pull_channel, editor):
    services.distribute(article, editor, channels=[pull_channel])
    first = fetch(client, pull_channel)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"

    by_etag = fetch(client, pull_channel, **{"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = fetch(client, pull_channel, **{"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304


def test_a_new_item_changes_the_etag(client, article, pull_channel, editor, topic):
    from tests.factories import ArticlePageFactory

    services.distribute(article, editor, channels=[pull_channel])
    first = fetch(client, pull_channel)
    second_article = ArticlePageFactory(parent=topic, title="未成年人网络保护")
    second_article.save_revision().publish()
    services.distribute(second_article, editor, channels=[pull_channel])
    again = fetch(client, pull_channel, **{"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert [i["title"] for i in json.loads(again.content)["items"]] == [
        "未成年人网络保护",
        "遇到电信诈骗怎么办",
    ]


def test_retracted_items_leave_the_feed(
    client, article, pull_channel, editor, django_capture_on_commit_callbacks
):
    services.distribute(article, editor, channels=[pull_channel])
    fetch(client, pull_channel)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    feed = json.loads(fetch(client, pull_channel).content)
    assert feed["items"] == []
    assert feed["_pufa"]["retracted"] == [f"urn:hubei-pufa:item:{article.pk}"]
    retraction = pull_channel.deliveries.get(distribution__kind="retract")
    assert retraction.state == State.DELIVERED


def test_a_video_comes_with_its_file(client, topic, pull_channel, editor):
    from tests.factories import VideoPageFactory

    video = VideoPageFactory(parent=topic, title="识破冒充公检法诈骗")
    video.save_revision().publish()
    services.distribute(video, editor, channels=[pull_channel])

    (item,) = json.loads(fetch(client, pull_channel).content)["items"]
    (attachment,) = item["attachments"]
    assert attachment["mime_type"] == "video/mp4"
    assert attachment["url"].startswith("http://testserver/media/")
    rss = ElementTree.fromstring(fetch(client, pull_channel, fmt="rss").content)
    assert rss.find("channel/item/enclosure").get("type") == "video/mp4"
