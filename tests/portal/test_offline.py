"""The portal works on an intranet with no internet: no page loads anything from another
machine (no CDN scripts, styles, fonts or images), the Wagtail admin included. Links (<a href>)
to other sites are allowed: following one is the reader's choice, nothing loads by itself.
The browser tests prove the same in Chromium, with every outside request blocked."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    UserFactory,
    VideoPageFactory,
)

RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "imagesrcset"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class ResourceCollector(HTMLParser):
    """Every address a browser would fetch by itself when rendering the page."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in RESOURCE_ATTRIBUTES & attrs.keys():
            value = attrs[name] or ""
            if "srcset" in name:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            else:
                self.urls.append(value)
        if tag in {"link", "use", "image"} and attrs.get("href"):
            self.urls.append(attrs["href"])
        if attrs.get("style"):
            self.urls += CSS_URL.findall(attrs["style"])
        self.in_style = tag == "style"

    def handle_data(self, data):
        if self.in_style:
            self.urls += CSS_URL.findall(data)

    def handle_endtag(self, tag):
        self.in_style = False


def outside_resources(html, base="http://testserver/"):
    collector = ResourceCollector()
    collector.feed(html)
    found = []
    for url in collector.urls:
        absolute = urljoin(base, url.strip())
        parts = urlsplit(absolute)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname != "testserver":
            found.append(url)
    return found


def local_stylesheets(html):
    collector = ResourceCollector()
    collector.feed(html)
    return [url for url in collector.urls if url.startswith(settings.STATIC_URL) and ".css" in url]


@pytest.fixture
def published_site(topic):
    statute = StatuteFactory(law_id="minfadian", name="中华人民共和国民法典")
    StatuteArticleFactory(statute=statute, position=1254, number=1254)
    article = ArticlePageFactory(parent=topic, title="高空抛物，谁来担责")
    video = VideoPageFactory(parent=topic, title="动漫：刷单返利都是骗局")
    return {"article": article, "video": video, "statute": statute}


PUBLIC_PAGES = [
    "/",
    "/fanzha/",
    "article",
    "video",
    "/laws/",
    "/laws/minfadian/",
    "/laws/minfadian/1254/",
    "/search/?q=诈骗",
    "/no-such-page/",
    "/admin/login/",
]


@pytest.mark.parametrize("target", PUBLIC_PAGES)
def test_public_pages_load_nothing_from_other_machines(client, published_site, target):
    url = published_site[target].url if target in published_site else target
    response = client.get(url)
    # 503: the search page says honestly that its index is not built yet in this test.
    assert response.status_code in {200, 404, 503}, url
    html = response.content.decode()
    assert outside_resources(html) == []
    for stylesheet in local_stylesheets(html):
        css = b"".join(client.get(stylesheet).streaming_content).decode()
        outside = [u for u in CSS_URL.findall(css) if urlsplit(u).scheme in {"http", "https"}]
        assert outside == [], f"{stylesheet} loads {outside}"


@pytest.mark.parametrize(
    "target", ["/admin/", "/admin/pages/", "/admin/images/", "/admin/media/", "edit"]
)
def test_admin_pages_load_nothing_from_other_machines(client, published_site, target):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    article = published_site["article"]
    url = f"/admin/pages/{article.pk}/edit/" if target == "edit" else target
    response = client.get(url)
    assert response.status_code == 200, url
    assert outside_resources(response.content.decode()) == []


def test_the_admin_is_told_not_to_reach_out():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None  # avatars from Gravatar
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False  # the release check
    assert settings.WAGTAILEMBEDS_FINDERS == []  # oEmbed look-ups


def test_the_collector_sees_what_a_browser_would_fetch():
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/a.css">'
        '<script src="//cdn.example.com/b.js"></script>'
        '<img srcset="/media/a.jpg 1x, https://img.example.com/b.jpg 2x">'
        '<div style="background: url(https://img.example.com/c.png)"></div>'
        "<style>@import 'https://fonts.example.com/d.css';</style>"
        '<a href="https://www.npc.gov.cn/">全国人大</a><img src="/static/e.png">'
    )
    assert outside_resources(html) == [
        "https://cdn.example.com/a.css",
        "//cdn.example.com/b.js",
        "https://img.example.com/b.jpg",
        "https://img.example.com/c.png",
        "https://fonts.example.com/d.css",
    ]
