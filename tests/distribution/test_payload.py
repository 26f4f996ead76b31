"""What a channel receives is enough to republish: sanitised body with absolute URLs, cover,
video file with captions and transcript, topic, tags, cited statutes, tracked canonical URL."""

import pytest
from django.core.files.base import ContentFile

from distribution import services
from distribution.models import Delivery
from distribution.payload import channel_payload, sanitised_body_html
from tests.distribution.factories import ChannelFactory
from tests.factories import StatuteArticleFactory, StatuteFactory, VideoPageFactory


def test_body_html_is_sanitised_and_absolute():
    html = sanitised_body_html(
        '<p onclick="steal()">看<a href="/laws/x/">法条</a><img src="/media/a.png" alt="图">'
        "<script>alert(1)</script></p>"
    )
    assert "onclick" not in html and "<script" not in html
    assert 'href="http://testserver/laws/x/"' in html
    assert 'src="http://testserver/media/a.png"' in html


def test_article_payload(article, regions, editor):
    statute = StatuteFactory(name="中华人民共和国反电信网络诈骗法", law_id="fanzha2022")
    StatuteArticleFactory(statute=statute, position=2, number=2, text="本法所称电信网络诈骗……")
    article.body = [
        ("paragraph", '<p>遇到诈骗请报警。<a href="/laws/">法律法规库</a></p>'),
        ("statute_citation", {"statute": statute, "article": "2", "note": ""}),
    ]
    article.tags.add("反诈")
    article.save_revision().publish()
    channel = ChannelFactory(region=regions["wuhan"], code="whportal")

    distribution = services.distribute(article, editor, channels=[channel])
    payload = channel_payload(Delivery.objects.get(distribution=distribution))

    assert payload["type"] == "item.published"
    data = payload["data"]
    assert data["title"] == "遇到电信诈骗怎么办"
    assert data["summary"] == article.summary
    assert data["url"] == f"http://testserver{article.url}?ch=whportal"
    assert data["topic"]["title"] == "反电信网络诈骗"
    assert data["tags"] == ["反诈"]
    assert 'href="http://testserver/laws/"' in data["body_html"]
    (cited,) = data["statutes"]
    assert cited["name"] == "中华人民共和国反电信网络诈骗法"
    assert cited["text"] == "本法所称电信网络诈骗……"
    assert cited["url"].startswith("http://testserver/laws/fanzha2022/")
    assert data["distribution_id"] == distribution.pk
    assert data["delivery_id"].startswith("msg_")


@pytest.mark.django_db
def test_video_payload_has_file_captions_and_transcript(topic, regions, editor):
    video_page = VideoPageFactory(parent=topic, title="识破冒充公检法诈骗", transcript="接到来电……")
    video_page.video.captions.save(
        "fanzha.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\n")
    )
    video_page.save_revision().publish()
    channel = ChannelFactory(region=regions["yiling"])

    distribution = services.distribute(video_page, editor, channels=[channel])
    data = channel_payload(distribution.deliveries.get())["data"]

    assert data["type"] == "video"
    assert data["video"]["url"].startswith("http://testserver/media/")
    assert data["video"]["captions_url"].endswith(".vtt")
    assert data["transcript"] == "接到来电……"
    assert data["video"]["duration_seconds"] == 12.0
