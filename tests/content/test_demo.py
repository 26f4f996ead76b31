"""`manage.py load_demo`'s content part: the site tree, topics, articles and generated videos,
loaded twice without duplicates, and a clear message when the statute library is missing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from wagtail.images.models import Image
from wagtail.models import Page, Site, WorkflowState

from content import demo
from content.media import parse_captions
from content.models import ArticlePage, HomePage, TopicIndexPage, VideoMedia, VideoPage
from content.roles import EDITORS, OFFICIALS, REVIEWERS
from tests.factories import StatuteArticleFactory, StatuteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited_statutes(db):
    """Just the laws and articles the demo cites, built with factories instead of the corpus."""
    statutes = {}
    for name, number in demo.cited_articles():
        statute = statutes.get(name) or StatuteFactory(
            name=name, short_name=name.removeprefix("中华人民共和国")
        )
        statutes[name] = statute
        StatuteArticleFactory(
            statute=statute, position=number, number=number, text=f"{name}第{number}条的条文。"
        )
    return statutes


def counts():
    return {
        "home": HomePage.objects.count(),
        "topics": TopicIndexPage.objects.count(),
        "articles": ArticlePage.objects.count(),
        "videos": VideoPage.objects.count(),
        "media": VideoMedia.objects.count(),
        "images": Image.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_loads_twice_and_resets_without_duplicates(cited_statutes, client):
    out = io.StringIO()
    demo.load(out)
    first = counts()
    demo.load(out)
    again = counts()
    demo.load(out, reset=True)
    after_reset = counts()

    assert first == again == after_reset
    assert first["home"] == 1 and first["topics"] == 8
    assert first["articles"] >= 16 and first["videos"] >= 4 and first["media"] == first["videos"]

    # The HomePage is the default site's root; Wagtail's welcome page is gone.
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert list(Page.objects.filter(depth=2)) == [home.page_ptr]

    # Everything is live, through the review workflow, with its history.
    items = list(ArticlePage.objects.all()) + list(VideoPage.objects.all())
    assert all(page.live for page in items)
    assert all(page.revisions.exists() for page in items)
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_APPROVED).count() >= len(items)

    # Demo accounts in their roles.
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="editor").groups.filter(name=EDITORS).exists()
    assert users.get(username="reviewer").groups.filter(name=REVIEWERS).exists()
    assert users.get(username="official").groups.filter(name=OFFICIALS).exists()
    assert client.login(
        request=HttpRequest(), username="editor", password=demo.settings.DEMO_PASSWORD
    )


def test_load_demo_builds_pages_that_quote_the_library_and_play(cited_statutes, client, settings):
    settings.DEMO_LOADERS = ["content.demo.load"]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "栏目 8 个" in out.getvalue()

    home = client.get("/").content.decode()
    assert "湖北网络普法" in home and "反电信网络诈骗" in home

    article = ArticlePage.objects.get(slug="gaokong-paowu")
    html = client.get(article.url).content.decode()
    assert "高空抛物伤了人" in html
    assert "中华人民共和国民法典第1254条的条文。" in html  # the library's text, not typed
    assert article.cover_image is not None and article.cover_alt
    assert any(block.block_type == "qa" for block in article.body)

    video = VideoPage.objects.get(slug="donghua-yanzhengma")
    media = video.video
    assert media.duration == pytest.approx(8.0, abs=0.2)
    assert (media.width, media.height) == demo.VIDEO_SIZE
    with media.captions.open("rb") as handle:
        cues = parse_captions(handle.read()).captions
    assert cues[0].text == "“您好，我是平台客服”"
    assert "法条原文：《中华人民共和国反电信网络诈骗法》第二条" in video.transcript
    html = client.get(video.url).content.decode()
    assert "<video" in html and 'kind="captions"' in html and "时长 0:08" in html


def test_demo_without_statutes_says_to_import_them_first(db):
    with pytest.raises(CommandError, match="import_statutes"):
        demo.load(io.StringIO())
    assert not ArticlePage.objects.exists()
