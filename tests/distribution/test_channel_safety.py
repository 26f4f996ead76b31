"""What reaches a channel cannot carry a script: a summary written as markup arrives escaped,
a body arrives sanitised, by webhook, in the JSON Feed and in the RSS feed alike; and every link
in it is absolute. Feed tokens travel only in the Authorization header."""

import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from distribution import services
from distribution.models import Delivery
from distribution.payload import channel_payload
from tests.distribution.factories import ChannelFactory
from tests.factories import StatuteArticleFactory, StatuteFactory, VideoPageFactory

ATTACK = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>'
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture
def pull_channel(regions):
    channel = ChannelFactory(region=regions["jiangan"], name="江岸区融媒体中心")
    channel.token = channel.issue_token()
    return channel


@pytest.fixture
def hostile_video(topic):
    video = VideoPageFactory(parent=topic, title="识破冒充公检法诈骗", summary=f"防骗指南{ATTACK}")
    video.save_revision().publish()
    return video


def fetch(client, channel, name, method="get", **params):
    url = reverse(name, args=[channel.code])
    return getattr(client, method)(
        url, params, headers={"Authorization": f"Bearer {channel.token}"}
    )


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = [], set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes |= {name for name, _ in attrs}


def assert_no_script(html):
    elements = Elements(html)
    assert "script" not in elements.tags
    assert "img" not in elements.tags
    assert not {a for a in elements.attributes if a.startswith("on")}


def test_a_hostile_summary_arrives_escaped_by_webhook(hostile_video, pull_channel, editor):
    distribution = services.distribute(hostile_video, editor, channels=[pull_channel])

    data = channel_payload(Delivery.objects.get(distribution=distribution))["data"]

    assert_no_script(data["content_html"])
    assert "<p>防骗指南&lt;img src=x" in data["content_html"]
    assert data["summary_html"].startswith("防骗指南&lt;img src=x onerror=")


def test_a_hostile_summary_arrives_escaped_in_the_json_feed(
    client, hostile_video, pull_channel, editor
):
    services.distribute(hostile_video, editor, channels=[pull_channel])

    (item,) = json.loads(fetch(client, pull_channel, "distribution_feed_json").content)["items"]

    assert_no_script(item["content_html"])
    assert_no_script(item["_pufa"]["content_html"])
    assert "<p>防骗指南&lt;img src=x" in item["content_html"]


def test_a_hostile_summary_arrives_escaped_in_the_rss_feed(
    client, hostile_video, pull_channel, editor
):
    services.distribute(hostile_video, editor, channels=[pull_channel])

    rss = ElementTree.fromstring(fetch(client, pull_channel, "distribution_feed_rss").content)
    item = rss.find("channel/item")

    assert_no_script(item.findtext(CONTENT))
    assert_no_script(item.findtext("description"))
    assert item.findtext("description").startswith("防骗指南&lt;img src=x")


def test_a_citation_quotes_its_article_by_an_absolute_address(
    article, pull_channel, editor, client
):
    statute = StatuteFactory(name="中华人民共和国反电信网络诈骗法", law_id="fanzha2022")
    StatuteArticleFactory(statute=statute, position=2, number=2, text="本法所称电信网络诈骗……")
    article.body = [("statute_citation", {"statute": statute, "article": "2", "note": ""})]
    article.save_revision().publish()
    distribution = services.distribute(article, editor, channels=[pull_channel])

    data = channel_payload(Delivery.objects.get(distribution=distribution))["data"]

    assert 'cite="http://testserver/laws/fanzha2022/2/"' in data["body_html"]
    assert 'cite="/laws/' not in data["content_html"]


def test_a_feed_token_in_the_query_string_is_refused(client, article, pull_channel, editor):
    services.distribute(article, editor, channels=[pull_channel])
    url = reverse("distribution_feed_json", args=[pull_channel.code])

    response = client.get(url, {"token": pull_channel.token})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="feeds"'
    assert pull_channel.deliveries.get().state == Delivery.State.PENDING


@pytest.mark.parametrize("name", ["distribution_feed_json", "distribution_feed_rss"])
def test_head_answers_as_get_does_without_a_body(client, article, pull_channel, editor, name):
    services.distribute(article, editor, channels=[pull_channel])

    head = fetch(client, pull_channel, name, method="head")

    assert head.status_code == 200
    assert head.content == b""
    # Only a fetch of the item itself is a delivery.
    assert pull_channel.deliveries.get().state == Delivery.State.PENDING
    get = fetch(client, pull_channel, name)
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]
